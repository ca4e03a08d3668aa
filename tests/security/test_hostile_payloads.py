"""No script injection: every hostile payload, in every field that reaches HTML, renders inert.

Each payload goes through Markdown (descriptions and notes) and, stored in
batches in approved records, through every page of hostile_records.PAGES
(public pages, the desk and its HTMX fragments, the admin); the rendered HTML
is parsed for anything executable (html_checks.find_executable), the Atom feed
must carry the payloads as escaped text and the JSON must carry them intact.
"""

from html import unescape
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.test import Client, SimpleTestCase
from django.utils.html import escape

from claims.markup import render_markdown
from claims.models import ReviewState
from sources.models import Source
from tests.base import BaseTestCase, make_source
from tests.security.hostile_records import PAGES, PAYLOADS, Page, create_all_hostile_records, page_urls, url_is_refused
from tests.security.html_checks import EXECUTABLE_SCHEMES, find_executable, response_nonce, url_scheme

ATOM = "{http://www.w3.org/2005/Atom}"
MARKDOWN_TAGS = {
    *("p", "br", "hr", "em", "strong", "code", "pre", "blockquote"),
    *("ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "sup", "sub", "del"),
}


def markdown_variants(payload: str) -> list[str]:
    """The payload as typed, and in the Markdown places that take URLs or raw HTML."""
    return [
        payload,
        f"[a link]({payload})",
        f"![an image]({payload})",
        f"<{payload}>",
        f"[a reference][r]\n\n[r]: {payload}",
        f"Some *text* {payload} more **text**.",
        f"> {payload}",
        f"- {payload}",
    ]


def shows_any(text: str, payloads: list[str], *, escaped: bool = True) -> bool:
    """True if ``text`` shows one of the (longer) payloads, HTML-escaped or as it is."""
    return any((escape(payload) if escaped else payload) in text for payload in payloads if len(payload) > 8)


def json_strings(data) -> list[str]:
    """Every string in a decoded JSON document, keys included."""
    if isinstance(data, dict):
        return [string for key, value in data.items() for string in (key, *json_strings(value))]
    if isinstance(data, list):
        return [string for value in data for string in json_strings(value)]
    return [data] if isinstance(data, str) else []


class CorpusTests(SimpleTestCase):
    def test_the_corpus_has_at_least_100_distinct_payloads(self):
        self.assertGreaterEqual(len(PAYLOADS), 100)
        self.assertEqual(len(set(PAYLOADS)), len(PAYLOADS))

    def test_escapes_in_the_corpus_are_decoded(self):
        self.assertIn("java\tscript:alert(1)", PAYLOADS)
        self.assertIn("java\u200bscript:alert(1)", PAYLOADS)
        self.assertIn("<scr\x00ipt>alert(1)</scr\x00ipt>", PAYLOADS)


class MarkdownTests(SimpleTestCase):
    def test_no_payload_survives_markdown(self):
        found = {}
        for payload in PAYLOADS:
            for variant in markdown_variants(payload):
                if findings := find_executable(render_markdown(variant)):
                    found[variant] = findings

        self.assertEqual(found, {})

    def test_markdown_keeps_to_its_few_tags(self):
        import re

        tags = set()
        for payload in PAYLOADS:
            for variant in markdown_variants(payload):
                tags |= {tag.lower() for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", render_markdown(variant))}

        self.assertLessEqual(tags, MARKDOWN_TAGS)

    def test_links_keep_only_web_and_mail_addresses(self):
        html = render_markdown("[web](https://example.org) [mail](mailto:a@example.org) [js](javascript:alert(1))")

        self.assertIn('href="https://example.org"', html)
        self.assertIn('href="mailto:a@example.org"', html)
        self.assertNotIn("javascript", html)


class HostilePageTests(BaseTestCase):
    """Every page of PAGES, rendered once for the class and checked in several ways."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.records = create_all_hostile_records(analyst=cls.analyst, reviewer=cls.reviewer)
        cls.rendered = None

    def render_every_page(self) -> list[tuple[Page, str, object]]:
        """(page, URL, response) for every page of the table, each rendered once per class."""
        cls = type(self)
        if cls.rendered is None:
            clients = {"reader": Client(), "analyst": Client(), "reviewer": Client()}
            clients["analyst"].force_login(self.analyst)
            clients["reviewer"].force_login(self.reviewer)
            cls.rendered = [
                (page, url, clients[page.user].get(url, headers=page.headers()))
                for page, url in page_urls(self.records)
            ]
        return cls.rendered

    def test_the_batches_carry_the_whole_corpus(self):
        self.assertEqual([payload for record in self.records for payload in record.payloads], PAYLOADS)
        self.assertLess(len(self.records), len(PAYLOADS) // 3)

    def test_every_hostile_record_is_public(self):
        # Otherwise the pages would not show the payloads and the checks below would prove nothing.
        for record in self.records:
            self.assertTrue(record.proposition.is_contradiction, record.joined)
            self.assertEqual({claim.state for claim in record.claims}, {ReviewState.APPROVED})
            self.assertEqual(record.pending.state, ReviewState.PENDING)

    def test_every_page_answers(self):
        answers = {url: response.status_code for _, url, response in self.render_every_page()}

        self.assertEqual({url: status for url, status in answers.items() if status != 200}, {})
        self.assertEqual({page.name for page, _, _ in self.render_every_page()}, {page.name for page in PAGES})

    def test_every_page_shows_the_payloads(self):
        # A page that showed none of the records would pass every check below without proving anything.
        every_payload = [payload for record in self.records for payload in record.payloads]
        silent = set()
        for page, _url, response in self.render_every_page():
            if page.format == "html" and not shows_any(response.content.decode(), every_payload):
                silent.add(page.name)

        self.assertEqual(silent, set())

    def test_no_html_page_shows_anything_executable(self):
        found = {}
        for page, url, response in self.render_every_page():
            if page.format != "html":
                continue
            if findings := find_executable(response.content.decode(), nonce=response_nonce(response)):
                found[f"{page.name}: {url}"] = findings

        self.assertEqual(found, {})

    def test_no_public_page_shows_anything_executable_to_a_reviewer(self):
        # Logged-in pages are rendered afresh (past the page cache) with a nonce the payloads must not borrow.
        self.client.force_login(self.reviewer)
        found = {}
        # The templates are the same as a reader's, so every fifth batch will do.
        for page, url in page_urls(self.records[::5], [page for page in PAGES if page.user == "reader"]):
            response = self.client.get(url)
            if page.format == "html" and (
                findings := find_executable(response.content.decode(), nonce=response_nonce(response))
            ):
                found[url] = findings

        self.assertEqual(found, {})

    def test_the_feed_carries_the_payloads_as_escaped_text(self):
        (response,) = [response for page, _, response in self.render_every_page() if page.format == "atom"]
        feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
        entries = feed.findall(f"{ATOM}entry")
        summaries = [entry.find(f"{ATOM}summary") for entry in entries]

        self.assertGreater(len(entries), 10)
        self.assertEqual({summary.get("type") for summary in summaries}, {"html"})
        # The summaries are plain text sent as HTML: once the XML is read, no markup may be left in them.
        self.assertEqual([summary.text for summary in summaries if "<" in summary.text], [])
        self.assertTrue(shows_any(" ".join(unescape(summary.text) for summary in summaries), PAYLOADS, escaped=False))

    def test_the_contradiction_json_carries_the_payloads_intact(self):
        responses = [response for page, _, response in self.render_every_page() if page.format == "json"]

        for record, response in zip(self.records, responses, strict=True):
            strings = set(json_strings(response.json()))
            self.assertIn(record.proposition.statement, strings)
            self.assertIn(record.claims[0].quote, strings)

    def test_the_payloads_reach_the_pages_as_text(self):
        record = next(record for record in self.records if "<script>alert(1)</script>" in record.payloads)

        for url in (record.proposition.get_absolute_url(), record.claimant.get_absolute_url()):
            self.assertContains(self.client.get(url), escape("<script>alert(1)</script>"))

    def test_sources_carry_the_payloads_they_accept_as_urls(self):
        accepted = [payload for payload in PAYLOADS if not url_is_refused(payload)]

        self.assertEqual([record.source.url for record in self.records[: len(accepted)]], accepted)


class SourceUrlTests(BaseTestCase):
    def test_a_source_refuses_every_executable_url(self):
        executable = [payload for payload in PAYLOADS if url_scheme(payload) in EXECUTABLE_SCHEMES]

        self.assertGreater(len(executable), 10)
        self.assertEqual([payload for payload in executable if not url_is_refused(payload)], [])

    def test_a_javascript_url_is_refused_with_a_message(self):
        with self.assertRaisesMessage(ValidationError, "Enter a valid URL."):
            make_source(text="Another text.", url="javascript:alert(1)")

        self.assertFalse(Source.objects.filter(url__contains="javascript").exists())

    def test_a_web_address_is_kept(self):
        source = make_source(text="Another text.", url="https://example.org/report?id=1")

        self.assertEqual(source.url, "https://example.org/report?id=1")
