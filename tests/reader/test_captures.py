"""What readers see of captures: the archived copy and its downloads, dated notices, and caches that follow re-checks."""

import gzip
import io
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.urls import reverse
from warcio.archiveiterator import ArchiveIterator

from claims.models import Claim
from reader.caching import GENERATION_KEY
from sources.models import Capture, Source
from tests.base import SAMPLE_TEXT, make_claim, make_source
from tests.captures import import_capture, not_found, recheck_with
from tests.reader.builders import ReaderTestCase, numbered_quote, numbered_text

IMPORTED = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
CHECKED = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
PARAGRAPHS = SAMPLE_TEXT.split("\n\n")
SHELTER = "the Taliban is providing shelter for TTP members"  # the supporting claim, paragraph 1
SUPPORT = "they do not provide support to TTP’s operations"  # the disputing claim, paragraph 2
GONE_NOTICE = (
    'The live page no longer contains this quote (checked <time datetime="2026-12-06T09:30:00+00:00">'
    "6 December 2026</time>)"
)


def page(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


class CaptureTestCase(ReaderTestCase):
    """The sample source, with an address and the capture it was imported from, in a contradiction."""

    def setUp(self):
        super().setUp()
        Source.objects.filter(pk=self.source.pk).update(url="https://news.example/taliban-ttp")
        self.source.refresh_from_db()
        self.original = import_capture(self.source, when=IMPORTED)
        self.proposition = self.build_contradiction()
        self.source_url = self.source.get_absolute_url()
        self.contradiction_url = self.proposition.get_absolute_url()

    def recheck(self, *paragraphs: str, when=CHECKED):
        return recheck_with(self.source, page(*paragraphs), when=when)

    def fail_rechecks(self, times: int, error=None, *, first=CHECKED):
        for n in range(times):
            capture = recheck_with(self.source, error or not_found()).capture
            Capture.objects.filter(pk=capture.pk).update(retrieved_at=first + timedelta(days=7 * n))


class ArchivedCopyTests(CaptureTestCase):
    def test_the_source_page_shows_the_archived_copy_with_its_date_links_and_hash(self):
        response = self.get(self.source_url)

        self.assertContains(response, 'Archived copy, retrieved <time datetime="2026-11-01T10:00:00+00:00">')
        self.assertContains(response, "1 November 2026, 10:00 UTC")
        self.assertContains(response, reverse("reader:capture", args=[self.source.pk, self.original.pk]))
        self.assertContains(response, reverse("reader:capture_body", args=[self.source.pk, self.original.pk]))
        self.assertContains(response, f'<code class="hash">{self.original.body_sha256}</code>')

    def test_a_source_without_captures_shows_no_archive(self):
        self.original.delete()

        response = self.get(self.source_url)
        self.assertNotContains(response, 'id="archive"')
        self.assertNotContains(response, "Archived copy")

    def test_an_unchanged_recheck_says_every_quote_is_still_there(self):
        self.recheck(*PARAGRAPHS)

        response = self.get(self.source_url)

        self.assertContains(response, "Checked again on <time")
        self.assertContains(response, "the live page still has every quote shown here")
        self.assertNotContains(response, "quote-notice")

    def test_a_changed_page_is_archived_too(self):
        recheck = self.recheck(*PARAGRAPHS[1:])

        response = self.get(self.source_url)

        self.assertContains(response, "The live page as checked on")
        self.assertContains(response, reverse("reader:capture", args=[self.source.pk, recheck.capture.pk]))


class QuoteNoticeTests(CaptureTestCase):
    def test_a_gone_quote_gets_a_dated_notice_on_the_source_page(self):
        self.recheck(*PARAGRAPHS[1:])

        response = self.get(self.source_url)

        self.assertContains(response, GONE_NOTICE, count=1)
        self.assertContains(response, "the archived copy of 1 November 2026</a> does.")
        self.assertContains(response, "1 of the 2 quotes shown here is no longer on the live page as quoted")

    def test_a_gone_quote_gets_a_dated_notice_on_every_contradiction_quoting_it(self):
        other = self.publish_proposition("The TTP operates from Afghan soil.")
        shelter = Claim.objects.get(quote=SHELTER)
        self.publish_stance(shelter, other, "supports")
        self.recheck(*PARAGRAPHS[1:])

        for url in (self.contradiction_url, other.get_absolute_url()):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertContains(response, GONE_NOTICE, count=1)
                self.assertContains(response, f'href="{self.source_url}#archive"')

    def test_an_altered_quote_shows_the_difference_word_by_word(self):
        self.recheck(
            PARAGRAPHS[0], PARAGRAPHS[1].replace("do not provide support", "do not provide any support"), PARAGRAPHS[2]
        )

        for url in (self.source_url, self.contradiction_url):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertContains(response, "Worded differently on the live page</strong> (checked <time")
                self.assertContains(response, "they do not provide<ins> any</ins> support to TTP’s operations")
                self.assertContains(response, "has it as quoted")

    def test_a_moved_quote_is_a_quiet_note_on_the_source_page_and_nothing_elsewhere(self):
        self.recheck(PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[0])

        self.assertContains(self.get(self.source_url), "Still on the live page, in another place", count=1)
        response = self.get(self.contradiction_url)
        self.assertNotContains(response, "quote-notice")
        self.assertNotContains(response, "live page")

    def test_a_present_quote_has_no_notice(self):
        self.recheck(*PARAGRAPHS)

        self.assertNotContains(self.get(self.contradiction_url), "quote-notice")

    def test_the_latest_recheck_that_reached_the_page_decides(self):
        self.recheck(*PARAGRAPHS[1:])
        self.recheck(*PARAGRAPHS, when=CHECKED + timedelta(days=7))

        self.assertNotContains(self.get(self.contradiction_url), "quote-notice")

    def test_an_unapproved_claim_is_never_named_nor_its_new_wording_shown(self):
        draft = make_claim(self.source, "Its chief spokesman said", self.taliban, self.analyst, paraphrase="HIDDEN")
        self.recheck(
            *PARAGRAPHS[:2], PARAGRAPHS[2].replace("Its chief spokesman said", "Its SECRET-LIVE spokesman said")
        )
        self.assertTrue(draft.quote_checks.filter(outcome="altered").exists())

        for url in (self.source_url, self.contradiction_url):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertNotContains(response, "SECRET-LIVE")
                self.assertNotContains(response, "HIDDEN")
                self.assertNotContains(response, "quote-notice")
        self.assertContains(self.get(self.source_url), "the live page still has every quote shown here")


class PageNoticeTests(CaptureTestCase):
    def test_a_single_failed_recheck_does_not_alarm_readers(self):
        self.fail_rechecks(1)

        for url in (self.source_url, self.contradiction_url):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertNotContains(response, "recheck-notice")
                self.assertNotContains(response, "quote-notice")

    def test_a_page_gone_at_two_rechecks_in_a_row_gets_a_dated_page_notice(self):
        self.fail_rechecks(2)

        response = self.get(self.source_url)

        self.assertContains(response, "The original page is gone.")
        self.assertContains(response, "(HTTP 404) at the last 2 checks, from <time")
        self.assertContains(response, ">6 December 2026</time> to <time")
        self.assertContains(response, ">13 December 2026</time>")
        self.assertContains(response, "The archived copy keeps what it said.")

    def test_failures_on_one_day_are_dated_once(self):
        self.fail_rechecks(2)
        Capture.objects.filter(purpose="recheck").update(retrieved_at=CHECKED)

        self.assertContains(self.get(self.source_url), "at the last 2 checks on <time")

    def test_while_the_page_is_gone_each_quote_on_a_contradiction_says_so(self):
        self.fail_rechecks(2)

        response = self.get(self.contradiction_url)

        self.assertContains(response, "The source’s live page is gone", count=2)
        self.assertContains(response, "has this quote", count=2)

    def test_an_unreachable_page_is_named_as_such(self):
        from sources.fetching import Unreachable

        self.fail_rechecks(3, Unreachable("The host “news.example” could not be found."))

        self.assertContains(self.get(self.source_url), "The original page cannot be reached.")
        self.assertContains(self.get(self.contradiction_url), "The source’s live page cannot be reached", count=2)

    def test_the_notice_ends_when_the_page_is_back(self):
        self.fail_rechecks(2)
        self.recheck(*PARAGRAPHS, when=CHECKED + timedelta(days=30))

        response = self.get(self.source_url)

        self.assertNotContains(response, "recheck-notice")
        self.assertContains(response, "the live page still has every quote shown here")


class DownloadTests(CaptureTestCase):
    def test_the_archived_copy_is_a_warc_file_to_save_never_a_page(self):
        response = self.client.get(reverse("reader:capture", args=[self.source.pk, self.original.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/gzip")
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="source-{self.source.pk}-capture-{self.original.pk}-2026-11-01.warc.gz"',
        )
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", response["Content-Security-Policy"])
        self.assertIn("default-src 'none'", response["Content-Security-Policy"])
        records = list(ArchiveIterator(io.BytesIO(response.content)))
        self.assertIn("response", [record.rec_type for record in records])
        gzip.decompress(response.content)  # a valid gzip file

    def test_the_page_alone_is_its_body_exactly_as_an_attachment(self):
        response = self.client.get(reverse("reader:capture_body", args=[self.source.pk, self.original.pk]))

        self.assertEqual(response.content, SAMPLE_TEXT.encode())
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment; filename="))
        self.assertTrue(response["Content-Disposition"].endswith('-2026-11-01.txt"'))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", response["Content-Security-Policy"])

    def test_a_recheck_of_an_identical_page_downloads_the_one_copy_kept(self):
        recheck = self.recheck(*PARAGRAPHS)
        self.assertIsNone(Capture.objects.get(pk=recheck.capture.pk).warc)

        response = self.client.get(reverse("reader:capture_body", args=[self.source.pk, recheck.capture.pk]))

        self.assertEqual(response.content, SAMPLE_TEXT.encode())
        self.assertTrue(response["Content-Disposition"].endswith('-2026-12-06.txt"'))

    def test_it_is_404_for_a_source_readers_do_not_see(self):
        draft = make_source(
            text="A draft source's words.", title="Draft", url="https://news.example/draft", state="draft"
        )
        capture = import_capture(draft)

        for name in ("reader:capture", "reader:capture_body"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name, args=[draft.pk, capture.pk])).status_code, 404)

    def test_it_is_404_for_a_capture_of_another_source(self):
        other = make_source(text=numbered_text(2), title="Other", url="https://news.example/other")
        self.publish_claim(other, numbered_quote(1), self.pakistan)
        capture = import_capture(other)

        response = self.client.get(reverse("reader:capture", args=[self.source.pk, capture.pk]))

        self.assertEqual(response.status_code, 404)

    def test_it_is_404_for_a_capture_that_kept_no_page(self):
        failed = recheck_with(self.source, not_found()).capture

        self.assertEqual(self.client.get(reverse("reader:capture", args=[self.source.pk, failed.pk])).status_code, 404)

    def test_it_is_404_for_ids_that_are_no_ids(self):
        base = f"/sources/{self.source.pk}/captures/"
        for path in (
            f"{base}².warc.gz",
            f"{base}١٢.warc.gz",
            f"{base}{'9' * 30}.warc.gz",
            f"/sources/²/captures/{self.original.pk}.html",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_it_refuses_posts(self):
        response = self.client.post(reverse("reader:capture", args=[self.source.pk, self.original.pk]))

        self.assertEqual(response.status_code, 405)


class QueryCountTests(CaptureTestCase):
    def rechecked_contradiction(self, claims_per_side: int, rechecks: int):
        proposition = self.contradiction_with(claims_per_side, statement=f"Settled {claims_per_side}")
        source = proposition.stances.first().claim.source
        Source.objects.filter(pk=source.pk).update(url=f"https://news.example/numbered-{claims_per_side}")
        source.refresh_from_db()
        import_capture(source, when=IMPORTED)
        for n in range(rechecks):  # the last one drops the first quote
            text = (
                numbered_text(2 * claims_per_side).replace(numbered_quote(1), "nothing")
                if n == rechecks - 1
                else source.text
            )
            recheck_with(source, text, when=CHECKED + timedelta(days=n))
        return proposition, source

    def test_the_source_page_reads_captures_and_quote_checks_in_two_queries_whatever_their_number(self):
        for claims_per_side, rechecks in ((1, 1), (10, 15)):
            _, source = self.rechecked_contradiction(claims_per_side, rechecks)
            with (
                self.subTest(claims=claims_per_side),
                self.assertNumQueries(7),
            ):  # source, captures, claims, stances, translations, summaries, checks
                response = self.get(source.get_absolute_url())
            self.assertContains(response, 'class="quote-notice"', count=1)

    def test_the_contradiction_page_reads_them_in_two_queries_whatever_their_number(self):
        for claims_per_side, rechecks in ((1, 1), (10, 15)):
            proposition, _ = self.rechecked_contradiction(claims_per_side, rechecks)
            # proposition, stances, source texts, translations, captures, quote checks, related
            with self.subTest(claims=claims_per_side), self.assertNumQueries(7):
                response = self.get(proposition.get_absolute_url())
            self.assertContains(response, 'class="quote-notice"', count=1)


class CacheTests(CaptureTestCase):
    """A re-check that stores a capture changes public pages: the cached ones are not served again."""

    def test_an_anonymous_reader_sees_the_notice_after_a_recheck(self):
        for url in (self.source_url, self.contradiction_url):
            self.client.get(url)
            self.assertNotContains(self.client.get(url), "quote-notice")

        with self.captureOnCommitCallbacks(execute=True):
            self.recheck(*PARAGRAPHS[1:])

        for url in (self.source_url, self.contradiction_url):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), GONE_NOTICE)

    def test_a_logged_in_reader_sees_it_too(self):
        self.client.force_login(self.outsider)
        for url in (self.source_url, self.contradiction_url):
            self.assertNotContains(self.client.get(url), "quote-notice")

        with self.captureOnCommitCallbacks(execute=True):
            self.recheck(*PARAGRAPHS[1:])

        for url in (self.source_url, self.contradiction_url):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), GONE_NOTICE)

    def test_a_failed_recheck_changes_the_pages_too(self):
        self.fail_rechecks(1)
        self.client.get(self.source_url)

        with self.captureOnCommitCallbacks(execute=True):
            recheck_with(self.source, not_found())

        self.assertContains(self.client.get(self.source_url), "The original page is gone.")

    def test_a_recheck_of_a_source_readers_do_not_see_leaves_the_cache_alone(self):
        draft = make_source(
            text="A draft source's words.", title="Draft", url="https://news.example/draft", state="draft"
        )
        self.client.get(self.source_url)
        generation = cache.get(GENERATION_KEY)

        with self.captureOnCommitCallbacks(execute=True):
            recheck_with(draft, "Other words.")

        self.assertEqual(cache.get(GENERATION_KEY), generation)
