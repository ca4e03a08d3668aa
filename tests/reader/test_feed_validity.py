"""The Atom feed is valid Atom (RFC 4287) for any feed reader, whatever host serves it."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from lxml import etree

from claims.models import Proposition
from reader.feeds import tag_uri
from tests.reader.builders import ReaderTestCase

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).resolve().parent.parent / "schemas" / "atom.rng")))


def atom_problems(document: bytes) -> list[str]:
    """What makes ``document`` invalid Atom: the RFC's schema, then the rules the schema cannot express."""
    feed = etree.fromstring(document)
    problems = [] if SCHEMA.validate(feed) else [str(error) for error in SCHEMA.error_log]
    entries = feed.findall("atom:entry", ATOM)
    if not feed.findall("atom:author", ATOM):
        problems += [
            f"entry {n} has no author and neither has the feed"
            for n, e in enumerate(entries)
            if not e.findall("atom:author", ATOM)
        ]
    ids = [feed.findtext("atom:id", namespaces=ATOM)] + [e.findtext("atom:id", namespaces=ATOM) for e in entries]
    if len(set(ids)) != len(ids):
        problems.append(f"ids repeat: {ids}")
    problems += [f"id is a host address: {i}" for i in ids if i.startswith(("http://", "https://"))]
    problems += [f"entry {n} has no updated" for n, e in enumerate(entries) if e.find("atom:updated", ATOM) is None]
    return problems


class FeedValidityTest(ReaderTestCase):
    url = reverse("reader:feed")

    def feed(self, **extra) -> bytes:
        response = self.get(self.url, **extra)
        self.assertEqual(response.status_code, 200)
        return response.content

    def ids(self, document: bytes) -> list[str]:
        return etree.fromstring(document).xpath("//atom:id/text()", namespaces=ATOM)

    def test_it_is_valid_atom(self):
        self.build_contradiction()

        document = self.feed()

        self.assertEqual(atom_problems(document), [])
        self.assertEqual(len(etree.fromstring(document).findall("atom:entry", ATOM)), 3)

    def test_an_empty_feed_is_valid_atom(self):
        self.assertEqual(atom_problems(self.feed()), [])

    def test_the_site_is_the_feeds_author(self):
        self.build_contradiction()

        feed = etree.fromstring(self.feed())

        self.assertEqual(feed.findtext("atom:author/atom:name", namespaces=ATOM), "Claim Tracker")
        self.assertEqual(feed.findtext("atom:author/atom:uri", namespaces=ATOM), "http://testserver/")

    def test_ids_are_tag_uris_that_do_not_change_with_the_host(self):
        proposition = self.build_contradiction()

        with override_settings(ALLOWED_HOSTS=["testserver", "claims.example.org"]):
            moved = self.feed(HTTP_HOST="claims.example.org")

        self.assertEqual(self.ids(moved), self.ids(self.feed()))
        self.assertIn(f"tag:claim-tracker.example,2024:contradiction/{proposition.slug}", self.ids(moved))
        self.assertTrue(all(i.startswith("tag:claim-tracker.example,2024:") for i in self.ids(moved)))

    @override_settings(FEED_TAG_AUTHORITY="analysts@example.org", FEED_TAG_DATE="2026-11")
    def test_the_tagging_entity_is_a_setting(self):
        self.assertEqual(tag_uri("feed"), "tag:analysts@example.org,2026-11:feed")

    @override_settings(FEED_TAG_AUTHORITY="https://example.org/")
    def test_a_tagging_entity_that_is_no_domain_fails_loudly(self):
        with self.assertRaises(ImproperlyConfigured):
            tag_uri("feed")

    def test_a_contradiction_without_its_moment_stays_in_the_feed_and_the_lists(self):
        older = self.build_contradiction(statement="Older")
        newer = self.build_contradiction(statement="Newer")
        # What a bulk approval left behind: approved, opposing sides, no "became a contradiction" time.
        Proposition.objects.filter(pk=newer.pk).update(became_contradiction_at=None)

        document = self.feed()

        self.assertEqual(atom_problems(document), [])
        self.assertIn(f"contradiction/{newer.slug}", " ".join(self.ids(document)))
        for url in (
            reverse("reader:home"),
            reverse("reader:contradictions"),
            reverse("reader:contradictions") + "?sort=claims",
        ):
            response = self.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertContains(response, newer.get_absolute_url())
            self.assertContains(response, older.get_absolute_url())
