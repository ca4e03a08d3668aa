"""The sharing card: every public page names an Open Graph image, and pages keep their own og tags."""

import struct
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.test import SimpleTestCase
from django.urls import reverse

from tests.reader.builders import ReaderTestCase

CARD = "img/og-card.png"


class MetaTags(HTMLParser):
    """The <meta property|name=… content=…> pairs of a page, in order, repeats kept."""

    def __init__(self, html: str):
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name")
        if tag == "meta" and key:
            self.pairs.append((key, attrs.get("content", "")))

    def all(self, key: str) -> list[str]:
        return [content for name, content in self.pairs if name == key]

    def one(self, key: str) -> str:
        values = self.all(key)
        assert len(values) == 1, f"{key}: {values}"
        return values[0]


class SharingCardFileTest(SimpleTestCase):
    def test_the_card_is_a_1200_by_630_png(self):
        path = finders.find(CARD)
        self.assertIsNotNone(path)
        with open(path, "rb") as card:
            header = card.read(24)

        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(struct.unpack(">II", header[16:24]), (1200, 630))


class SharingTagsTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.pages = {
            "home": reverse("reader:home"),
            "contradictions": reverse("reader:contradictions"),
            "questions": reverse("reader:questions"),
            "contradiction": self.proposition.get_absolute_url(),
            "actor": self.pakistan.get_absolute_url(),
            "source": reverse("reader:source", args=[self.source.pk]),
            "search": reverse("reader:search") + "?q=Taliban",
        }

    def meta_tags(self, url: str, **extra) -> MetaTags:
        response = self.get(url, **extra)
        self.assertEqual(response.status_code, 200, url)
        return MetaTags(response.content.decode())

    def test_every_public_page_names_the_card_with_an_absolute_address(self):
        for name, url in self.pages.items():
            with self.subTest(name):
                tags = self.meta_tags(url)

                self.assertEqual(tags.one("og:image"), "http://testserver/static/img/og-card.png")
                self.assertEqual(tags.one("og:image:width"), "1200")
                self.assertEqual(tags.one("og:image:height"), "630")
                self.assertEqual(tags.one("og:image:type"), "image/png")
                self.assertIn("Claim Tracker", tags.one("og:image:alt"))
                self.assertEqual(tags.one("og:site_name"), "Claim Tracker")
                self.assertEqual(tags.one("twitter:card"), "summary_large_image")

    def test_the_card_address_follows_the_scheme_and_host_the_reader_used(self):
        with self.settings(ALLOWED_HOSTS=["claims.example.org"]):
            tags = self.meta_tags(self.pages["home"], secure=True, HTTP_HOST="claims.example.org")

        self.assertEqual(tags.one("og:image"), "https://claims.example.org/static/img/og-card.png")

    def test_every_public_page_has_one_title_type_and_address_to_share(self):
        for name, url in self.pages.items():
            with self.subTest(name):
                tags = self.meta_tags(url)

                self.assertTrue(tags.one("og:title"))
                self.assertTrue(tags.one("og:type"))
                self.assertTrue(tags.one("og:url").startswith("http://testserver/"))

    def test_pages_keep_their_own_title_and_address(self):
        tags = self.meta_tags(self.pages["contradiction"] + "?utm_source=shared")

        self.assertEqual(tags.one("og:title"), "The Afghan Taliban shelter the TTP.")
        self.assertEqual(tags.one("og:type"), "article")
        self.assertEqual(tags.one("og:url"), "http://testserver" + self.pages["contradiction"])
        self.assertEqual(self.meta_tags(self.pages["actor"]).one("og:title"), "Government of Pakistan — Claim Tracker")

    def test_the_card_is_served(self):
        response = self.client.get("/static/" + CARD)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
