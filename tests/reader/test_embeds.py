"""The embeddable card and oEmbed: what the card shows, that only it may be framed, and every refusal."""

import json
from urllib.parse import quote, urlencode

from django.test import override_settings
from django.urls import reverse

from claims.translations import Translation
from tests.base import approve
from tests.reader.builders import ReaderTestCase
from tests.security.test_csp import parse_policy


class EmbedTestCase(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.embed_url = reverse("reader:embed_contradiction", args=[self.proposition.slug])
        self.page_url = f"http://testserver{self.proposition.get_absolute_url()}"


class EmbedCardTest(EmbedTestCase):
    def test_it_shows_the_statement_both_sides_their_quotes_and_claimants(self):
        response = self.get(self.embed_url)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.proposition.statement)
        self.assertContains(response, "the Taliban is providing shelter for TTP members")
        self.assertContains(response, "they do not provide support to TTP’s operations")
        self.assertContains(response, "Government of Pakistan")
        self.assertContains(response, "Afghan Taliban")
        self.assertContains(response, 'card__side card__side--supports"')
        self.assertContains(response, 'card__side card__side--disputes"')

    def test_it_links_back_to_the_full_page_in_a_new_tab(self):
        response = self.get(self.embed_url)

        self.assertContains(response, f'<a href="{self.page_url}" target="_blank" rel="noopener">', count=2)
        self.assertContains(response, f'<link rel="canonical" href="{self.page_url}">')

    def test_it_has_no_script_no_form_no_csrf_token_and_sets_no_cookie(self):
        for user in (None, self.analyst):
            with self.subTest(user=user):
                if user:
                    self.client.force_login(user)
                response = self.get(self.embed_url)

                html = response.content.decode()
                self.assertNotIn("<script", html)
                self.assertNotIn("<form", html)
                self.assertNotIn("csrfmiddlewaretoken", html)
                self.assertNotIn("Set-Cookie", response.headers)
                self.assertEqual(response.cookies, {})
                self.assertContains(response, "/static/css/embed.css")

    def test_it_shows_at_most_two_quotes_a_side_from_different_claimants(self):
        proposition = self.contradiction_with(4, statement="Four a side")

        response = self.get(reverse("reader:embed_contradiction", args=[proposition.slug]))

        self.assertContains(response, '<figure class="card__claim">', count=4)
        self.assertContains(response, "and 2 more claims", count=2)
        self.assertContains(response, "4 claims", count=2)

    def test_a_claimant_quoted_twice_on_a_side_is_shown_once(self):
        self.publish_claim(self.source, "Its chief spokesman said", self.pakistan, self.proposition, "supports")

        response = self.get(self.embed_url)

        self.assertContains(response, '<span class="card__claimant"><bdi>Government of Pakistan</bdi></span>', count=1)
        self.assertContains(response, "and 1 more claim<", count=1)

    def test_it_shows_no_unpublished_claim(self):
        self.unpublished_claims(self.proposition)

        response = self.get(self.embed_url)

        self.assertNotContains(response, "SECRET")
        self.assertNotContains(response, "Hidden")

    def test_it_is_404_for_a_proposition_readers_do_not_see(self):
        self.proposition.return_to_draft(self.reviewer, reason="Rewording")  # withdrawn after approval
        draft = self.build_contradiction(statement="A second statement.")
        draft.return_to_draft(self.reviewer, reason="Not yet")
        draft.submit(self.analyst)  # pending
        for proposition in (self.proposition, draft):
            with self.subTest(state=proposition.state):
                url = reverse("reader:embed_contradiction", args=[proposition.slug])
                self.assertEqual(self.get(url).status_code, 404)
        self.assertEqual(self.get("/embed/contradictions/no-such-thing/").status_code, 404)

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        for proposition in (
            self.contradiction_with(1, statement="Small"),
            self.contradiction_with(10, statement="Large"),
        ):
            with self.assertNumQueries(3):  # the proposition, its stances with claims, sources and actors, translations
                self.get(reverse("reader:embed_contradiction", args=[proposition.slug]))

    def translate(self, claim, language, text):
        translation = Translation.record(
            claim=claim, language=language, text=text, translator="Desk translation team", created_by=self.analyst
        )
        return approve(translation, self.reviewer)

    def test_each_quote_shown_has_its_approved_translations_folded_under_it(self):
        claim = self.proposition.stances.get(side="supports").claim
        self.translate(claim, "ur", "طالبان ٹی ٹی پی کے ارکان کو پناہ دے رہے ہیں")
        self.translate(claim, "de", "die Taliban gewähren TTP-Mitgliedern Unterschlupf")

        response = self.get(self.embed_url)

        self.assertContains(response, '<details class="translations__more">')
        self.assertContains(response, "Translations (2)")
        self.assertContains(response, '<blockquote class="translation__text" lang="ur" dir="rtl">')
        self.assertContains(response, '<blockquote class="translation__text" lang="de" dir="ltr">')
        self.assertContains(response, "Translation from English, human, reviewed")
        self.assertNotContains(response, "<script")

    def test_query_count_does_not_grow_with_the_number_of_translations(self):
        claims = [stance.claim for stance in self.proposition.stances.all()]
        self.translate(claims[0], "ur", "ترجمہ")
        with self.assertNumQueries(3):
            self.get(self.embed_url)
        for language in ("fa", "ps", "de", "fr"):
            for claim in claims:
                self.translate(claim, language, f"{language} words")
        with self.assertNumQueries(3):
            self.get(self.embed_url)


class FramingTest(EmbedTestCase):
    def assert_frameable_by_anyone(self, response) -> None:
        policy = parse_policy(response["Content-Security-Policy"])
        self.assertEqual(policy["frame-ancestors"], ["*"])
        self.assertEqual(policy["script-src"], ["'none'"])
        self.assertEqual(policy["form-action"], ["'none'"])
        self.assertEqual(policy["style-src"], ["'self'"])
        self.assertNotIn("X-Frame-Options", response.headers)

    def test_the_card_may_be_framed_by_any_site(self):
        self.assert_frameable_by_anyone(self.get(self.embed_url))

    @override_settings(DEBUG=False)
    def test_the_card_served_from_the_cache_keeps_its_policy(self):
        first = self.client.get(self.embed_url)
        again = self.client.get(self.embed_url)
        not_modified = self.client.get(self.embed_url, HTTP_IF_NONE_MATCH=again["ETag"])

        self.assertEqual(first.content, again.content)
        self.assertEqual(not_modified.status_code, 304)
        for response in (first, again, not_modified):
            self.assert_frameable_by_anyone(response)

    def test_every_other_page_still_forbids_framing(self):
        claim = self.proposition.stances.first().claim
        for url in (
            reverse("reader:home"),
            self.proposition.get_absolute_url(),
            reverse("reader:contradiction_json", args=[self.proposition.slug]),
            reverse("reader:contradiction_citation", args=[self.proposition.slug, "bib"]),
            reverse("reader:claim_citation", args=[claim.pk, "json"]),
            reverse("reader:oembed") + f"?url={quote(self.page_url)}",
            self.source.get_absolute_url(),
            "/embed/contradictions/no-such-thing/",
        ):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(parse_policy(response["Content-Security-Policy"])["frame-ancestors"], ["'none'"])


class OEmbedTest(EmbedTestCase):
    def oembed(self, **params):
        return self.get(f"{reverse('reader:oembed')}?{urlencode(params)}")

    def test_it_answers_a_rich_response_pointing_to_the_card(self):
        response = self.oembed(url=self.page_url, format="json")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        data = json.loads(response.content)
        self.assertEqual(data["version"], "1.0")
        self.assertEqual(data["type"], "rich")
        self.assertEqual(data["title"], self.proposition.statement)
        self.assertEqual((data["provider_name"], data["provider_url"]), ("Claim Tracker", "http://testserver/"))
        self.assertEqual((data["width"], data["height"]), (600, 520))
        self.assertIn(f'<iframe src="http://testserver{self.embed_url}" width="600" height="520"', data["html"])
        self.assertIn('sandbox="allow-popups allow-popups-to-escape-sandbox"', data["html"])
        self.assertNotIn("<script", data["html"])

    def test_format_defaults_to_json(self):
        self.assertEqual(self.oembed(url=self.page_url).status_code, 200)

    def test_it_respects_maxwidth_and_maxheight(self):
        data = json.loads(self.oembed(url=self.page_url, maxwidth="320", maxheight="9999").content)

        self.assertEqual((data["width"], data["height"]), (320, 520))
        self.assertIn('width="320" height="520"', data["html"])

    def test_the_page_address_may_carry_a_query_or_a_fragment(self):
        for url in (
            f"{self.page_url}?utm_source=x",
            f"{self.page_url}#claim-1",
            self.page_url.replace("http:", "https:"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.oembed(url=url).status_code, 200)

    def test_xml_and_other_formats_are_501(self):
        for format in ("xml", "XML", "JSON", "yaml", "json\x00"):
            with self.subTest(format=format):
                response = self.oembed(url=self.page_url, format=format)
                self.assertEqual(response.status_code, 501)
                self.assertContains(response, "Only format=json", status_code=501)

    def test_a_missing_url_is_400(self):
        for params in ({}, {"url": ""}):
            with self.subTest(params=params):
                self.assertEqual(self.oembed(**params).status_code, 400)

    def test_addresses_that_are_not_a_public_contradiction_here_are_404(self):
        path = self.proposition.get_absolute_url()
        draft = self.build_contradiction(statement="Withdrawn later.")
        draft.return_to_draft(self.reviewer, reason="Rewording")
        for url in (
            f"http://elsewhere.example{path}",
            f"http://testserver.example{path}",
            f"http://testserver@elsewhere.example{path}",
            f"http://testserver:8080{path}",
            f"http://testserver:99999{path}",
            f"ftp://testserver{path}",
            f"javascript:alert(1)//testserver{path}",
            f"//testserver{path}",
            path,
            "http://testserver/contradictions/no-such-thing/",
            f"http://testserver{draft.get_absolute_url()}",
            f"http://testserver{self.embed_url}",
            f"http://testserver{self.pakistan.get_absolute_url()}",
            "http://testserver/",
            "http://testserver/contradictions/%00/",
            "http://[::1/",
            "http://testserver/" + "a" * 5000,
            "\x00",
            "http://testserver/contradictions/\u202eevil/",
        ):
            with self.subTest(url=url[:80]):
                response = self.oembed(url=url)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")

    def test_malformed_sizes_are_400(self):
        for value in ("0", "-5", "abc", "1.5", "²", " 300", "1e3", "9" * 40):
            with self.subTest(value=value):
                response = self.oembed(url=self.page_url, maxwidth=value)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "maxwidth must be a positive whole number", status_code=400)
        self.assertEqual(self.oembed(url=self.page_url, maxheight="0").status_code, 400)

    def test_only_get_and_head(self):
        self.assertEqual(self.client.post(reverse("reader:oembed"), {"url": self.page_url}).status_code, 405)

    def test_the_contradiction_page_announces_it_for_discovery(self):
        response = self.get(self.proposition.get_absolute_url())

        href = f"http://testserver/oembed?url={quote(self.page_url, safe='')}&amp;format=json"
        self.assertContains(response, f'<link rel="alternate" type="application/json+oembed" href="{href}"')
        found = self.client.get(href.replace("&amp;", "&").removeprefix("http://testserver"))
        self.assertEqual(found.status_code, 200)

    def test_query_count_is_one(self):
        with self.assertNumQueries(1):
            self.oembed(url=self.page_url)
