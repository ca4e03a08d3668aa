"""The site in Urdu, Persian and Pashto: /ur/, /fa/ and /ps/; English unprefixed, whatever the browser asks for.

Every reader page answers under each prefix with its language and direction on
<html>, a language switcher linking to the same page in each language, and
hreflang alternates. The admin and the API stay English and unprefixed. The page
cache keeps each language's page, fragments and ETag apart.
"""

import re

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.reader.builders import ReaderTestCase

PREFIXED = {"ur": "rtl", "fa": "rtl", "ps": "rtl"}
LANGUAGES = {"en": "ltr", **PREFIXED}


def in_language(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


class LanguagePrefixTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.actor = self.pakistan
        self.pages = {
            "home": ("reader:home",),
            "contradictions": ("reader:contradictions",),
            "contradiction": ("reader:contradiction", self.proposition.slug),
            "actor": ("reader:actor", self.actor.slug),
            "source": ("reader:source", self.source.pk),
            "changes": ("reader:changes",),
            "search": ("reader:search",),
        }

    def test_every_reader_page_answers_in_each_language_with_its_lang_and_dir(self):
        for language, direction in LANGUAGES.items():
            for page, (name, *args) in self.pages.items():
                with self.subTest(language=language, page=page):
                    address = in_language(language, name, *args)
                    self.assertEqual(address.startswith(f"/{language}/"), language != "en")

                    response = self.get(address)

                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, f'<html lang="{language}" dir="{direction}">')
                    self.assertEqual(response["Content-Language"], language)

    def test_english_addresses_are_unchanged(self):
        self.assertEqual(reverse("reader:home"), "/")
        self.assertEqual(
            reverse("reader:contradiction", args=[self.proposition.slug]), self.proposition.get_absolute_url()
        )
        self.assertEqual(reverse("desk:home"), "/desk/")
        self.assertEqual(reverse("login"), "/accounts/login/")

    def test_the_switcher_links_to_the_same_page_in_each_language_and_marks_the_current_one(self):
        address = in_language("fa", "reader:contradiction", self.proposition.slug)

        html = self.get(address).content.decode()

        switcher = re.search(r'<nav class="language-switcher" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
        for language, direction in LANGUAGES.items():
            target = in_language(language, "reader:contradiction", self.proposition.slug)
            current = ' aria-current="true"' if language == "fa" else ""
            self.assertIn(
                f'<a href="{target}" lang="{language}" hreflang="{language}" dir="{direction}"{current}>', switcher
            )
        self.assertEqual(switcher.count("aria-current"), 1)

    def test_the_switcher_keeps_the_query_the_page_reads(self):
        html = self.get("/ur/search/?q=shelter&utm_source=x").content.decode()

        self.assertIn('href="/ps/search/?q=shelter"', html)
        self.assertIn('href="/search/?q=shelter"', html)

    def test_the_head_has_an_alternate_for_each_language_and_an_english_x_default(self):
        html = self.get("/ps/changes/").content.decode()

        for language in LANGUAGES:
            prefix = "" if language == "en" else f"/{language}"
            self.assertIn(
                f'<link rel="alternate" hreflang="{language}" href="http://testserver{prefix}/changes/">', html
            )
        self.assertIn('<link rel="alternate" hreflang="x-default" href="http://testserver/changes/">', html)

    def test_an_unprefixed_address_is_english_whatever_the_browser_asks_for(self):
        self.client.cookies["django_language"] = "ur"

        response = self.get("/", HTTP_ACCEPT_LANGUAGE="ur,fa;q=0.9")

        self.assertContains(response, '<html lang="en" dir="ltr">')
        self.assertEqual(response["Content-Language"], "en")

    def test_no_page_varies_on_the_browser_language(self):
        for address in ("/", "/ur/", "/api/v1/contradictions", "/admin/login/"):
            with self.subTest(address=address):
                response = self.get(address, HTTP_ACCEPT_LANGUAGE="ur")
                self.assertNotIn("accept-language", response.get("Vary", "").lower())

    def test_the_admin_is_english_and_unprefixed(self):
        response = self.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ur")

        self.assertContains(response, 'lang="en"')
        self.assertEqual(self.get("/ur/admin/login/").status_code, 404)

    def test_the_api_is_english_and_unprefixed(self):
        response = self.get("/api/v1/contradictions", HTTP_ACCEPT_LANGUAGE="ps")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Language"], "en")
        self.assertEqual(self.get("/ps/api/v1/contradictions").status_code, 404)

    def test_links_on_a_page_stay_in_its_language(self):
        html = self.get(in_language("ur", "reader:contradiction", self.proposition.slug)).content.decode()

        self.assertIn(f'href="{in_language("ur", "reader:actor", self.actor.slug)}"', html)
        self.assertIn('action="/ur/search/"', html)


def cached_pages() -> list[str]:
    return [key for key in cache._cache if ":public-page:" in key and not key.endswith(":rendering")]


class LanguageCacheTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.english = in_language("en", "reader:contradiction", self.proposition.slug)
        self.urdu = in_language("ur", "reader:contradiction", self.proposition.slug)
        self.actor_address = in_language("en", "reader:actor", self.pakistan.slug)

    def test_each_language_has_its_own_cached_page(self):
        self.client.get(self.english)
        self.client.get(self.urdu)
        self.client.get(self.urdu)

        keys = cached_pages()
        self.assertEqual(len(keys), 2)
        self.assertTrue(any(":public-page:en:" in key for key in keys))
        self.assertTrue(any(":public-page:ur:" in key for key in keys))

    def test_the_etags_differ_per_language(self):
        english, urdu = self.client.get(self.english), self.client.get(self.urdu)

        self.assertNotEqual(english["ETag"], urdu["ETag"])
        self.assertEqual(self.client.get(self.urdu, HTTP_IF_NONE_MATCH=urdu["ETag"]).status_code, 304)
        self.assertEqual(self.client.get(self.urdu, HTTP_IF_NONE_MATCH=english["ETag"]).status_code, 200)

    def test_a_page_in_one_language_never_serves_a_fragment_rendered_in_another(self):
        self.client.get(self.english)  # fills the shared fragments in English

        html = self.client.get(self.urdu).content.decode()

        self.assertIn(f'href="/ur{self.actor_address}"', html)
        self.assertNotIn(f'<a href="{self.actor_address}"', html)

    def test_a_logged_in_reader_gets_fragments_in_the_page_language(self):
        self.client.get(self.english)
        self.client.force_login(self.analyst)

        html = self.client.get(self.urdu).content.decode()

        self.assertIn('<html lang="ur" dir="rtl">', html)
        self.assertIn(f'href="/ur{self.actor_address}"', html)
