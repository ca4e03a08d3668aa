"""Re-checking a web source: each page outcome and each quote outcome, against pages served from 127.0.0.1.

The page server (tests/pageserver.py) serves an article; a test records claims
in the source imported from it, changes the page, and re-checks. Nothing here
reaches the internet.
"""

import time
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import override

from claims.models import Claim
from sources.capture import capture_page
from sources.models import Capture, QuoteCheck, Source
from sources.recheck import ALTERED_MIN_SIMILARITY, Comparison, recheck_source
from tests.base import BaseTestCase, make_claim, make_source
from tests.pageserver import PageServer

PARAGRAPHS = [
    "Pakistan says the Afghan Taliban shelter TTP fighters and give them weapons and training.",
    "A Taliban spokesman said the group gives the TTP no support from inside Afghanistan.",
    "A ceasefire between the TTP and Pakistan was agreed in June 2022 after talks in Kabul.",
    "The TTP ended the ceasefire in November 2022, accusing the army of attacks on its men.",
    "Mediation by the Taliban has so far been unsuccessful, officials in Islamabad said on Friday.",
]
QUOTES = {
    "support": "the group gives the TTP no support from inside Afghanistan",
    "agreed": "was agreed in June 2022 after talks in Kabul",
    "ended": "The TTP ended the ceasefire in November 2022",
    "mediation": "Mediation by the Taliban has so far been unsuccessful",
}


def article(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Ceasefire talks</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Ceasefire talks collapse</h1>\n{body}</article>"
        "<footer>© The Frontier Ledger</footer></body></html>"
    )


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class RecheckTestCase(BaseTestCase):
    """A source imported from the page server's /report, with one claim per quote in QUOTES."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = PageServer().start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        super().setUp()
        self.server.served.clear()
        self.server.serve("/report", article(PARAGRAPHS))
        capture = capture_page(self.server.url("/report"))
        self.web_source = make_source(text=capture.text, title="Ceasefire talks collapse", url=capture.requested_url)
        capture.source = self.web_source
        capture.save()
        self.claims = {
            name: make_claim(self.web_source, quote, self.taliban, self.analyst) for name, quote in QUOTES.items()
        }

    def change_page(self, paragraphs: list[str]) -> None:
        self.server.serve("/report", article(paragraphs))

    def outcomes(self, recheck) -> dict[str, str]:
        by_claim = {check.claim_id: check.outcome for check in recheck.checks}
        return {name: by_claim[claim.pk] for name, claim in self.claims.items()}

    def check_of(self, recheck, name: str) -> QuoteCheck:
        return next(check for check in recheck.checks if check.claim_id == self.claims[name].pk)


class QuoteOutcomeTests(RecheckTestCase):
    def test_an_unchanged_page_has_every_quote_present(self):
        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.UNCHANGED)
        self.assertEqual(set(self.outcomes(recheck).values()), {QuoteCheck.Outcome.PRESENT})

    def test_an_edited_sentence_is_altered_and_its_new_wording_kept(self):
        self.change_page([*PARAGRAPHS[:2], PARAGRAPHS[2].replace("June 2022", "May 2022"), *PARAGRAPHS[3:]])

        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.CHANGED)
        self.assertEqual(self.outcomes(recheck)["agreed"], QuoteCheck.Outcome.ALTERED)
        altered = self.check_of(recheck, "agreed")
        self.assertEqual(altered.found_text, "was agreed in May 2022 after talks in Kabul")
        self.assertEqual(recheck.capture.text[altered.found_start : altered.found_end], altered.found_text)
        self.assertEqual(self.outcomes(recheck)["support"], QuoteCheck.Outcome.PRESENT)

    def test_a_removed_sentence_is_gone(self):
        self.change_page([*PARAGRAPHS[:3], *PARAGRAPHS[4:]])

        recheck = recheck_source(self.web_source)

        self.assertEqual(self.outcomes(recheck)["ended"], QuoteCheck.Outcome.GONE)
        self.assertEqual(self.check_of(recheck, "ended").found_text, "")
        self.assertEqual(self.outcomes(recheck)["mediation"], QuoteCheck.Outcome.PRESENT)

    def test_a_paragraph_moved_elsewhere_is_moved_and_the_rest_stays_present(self):
        self.change_page([PARAGRAPHS[4], *PARAGRAPHS[:4]])

        recheck = recheck_source(self.web_source)

        self.assertEqual(
            self.outcomes(recheck),
            {"support": "present", "agreed": "present", "ended": "present", "mediation": "moved"},
        )
        moved = self.check_of(recheck, "mediation")
        self.assertEqual(recheck.capture.text[moved.found_start : moved.found_end], QUOTES["mediation"])

    def test_text_added_above_shifts_the_page_without_moving_the_quotes(self):
        self.change_page(["Update: this article was corrected on Monday.", *PARAGRAPHS])

        recheck = recheck_source(self.web_source)

        self.assertEqual(set(self.outcomes(recheck).values()), {QuoteCheck.Outcome.PRESENT})
        self.assertEqual(recheck.capture.outcome, Capture.Outcome.CHANGED)

    def test_a_sentence_rewritten_beyond_recognition_is_gone_not_altered(self):
        rewritten = "Talks in Kabul produced nothing, and no date was ever set for any truce."
        self.change_page([*PARAGRAPHS[:2], rewritten, *PARAGRAPHS[3:]])

        recheck = recheck_source(self.web_source)

        self.assertEqual(self.outcomes(recheck)["agreed"], QuoteCheck.Outcome.GONE)

    def test_every_claim_is_checked_whatever_its_review_state(self):
        claim = self.claims["support"]
        claim.submit(self.analyst)

        recheck = recheck_source(self.web_source)

        self.assertEqual(len(recheck.checks), len(QUOTES))
        self.assertEqual(QuoteCheck.objects.filter(capture=recheck.capture).count(), len(QUOTES))

    def test_the_anchored_text_never_changes(self):
        text, checksum = self.web_source.text, self.web_source.checksum
        self.change_page([PARAGRAPHS[0]])

        recheck_source(self.web_source)

        self.web_source.refresh_from_db()
        self.assertEqual((self.web_source.text, self.web_source.checksum), (text, checksum))
        claim = Claim.objects.get(pk=self.claims["ended"].pk)
        self.assertEqual(self.web_source.text[claim.start : claim.end], QUOTES["ended"])

    def test_an_identical_page_keeps_no_second_copy(self):
        recheck = recheck_source(self.web_source)

        recheck.capture.refresh_from_db()
        self.assertIsNone(recheck.capture.warc)
        self.assertEqual(recheck.capture.archived_copy(), self.web_source.captures.get(purpose="import"))

    def test_the_capture_is_a_recheck_of_the_source(self):
        recheck = recheck_source(self.web_source, user=self.analyst)

        self.assertEqual(recheck.capture.purpose, Capture.Purpose.RECHECK)
        self.assertEqual((recheck.capture.source, recheck.capture.created_by), (self.web_source, self.analyst))
        self.assertEqual(self.web_source.captures.count(), 2)


class PageOutcomeTests(RecheckTestCase):
    def test_a_404_is_a_page_gone(self):
        self.server.serve("/report", "<h1>Not found</h1>", status=404)

        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.GONE)
        self.assertEqual(recheck.capture.status, 404)
        self.assertIn("404 Not Found", recheck.capture.problem)
        self.assertEqual(recheck.checks, [])
        self.assertFalse(QuoteCheck.objects.filter(capture=recheck.capture).exists())

    def test_what_went_wrong_is_recorded_in_english_whatever_the_analysts_language(self):
        self.server.serve("/report", "<h1>Oops</h1>", status=503)

        with override("ur"):
            recheck = recheck_source(self.web_source)

        with override("en"):
            expected = "The server answered 503 Service Unavailable instead of the page."
        self.assertEqual(recheck.capture.problem, expected)

    def test_a_410_is_a_page_gone(self):
        self.server.serve("/report", "<h1>Gone</h1>", status=410)

        self.assertEqual(recheck_source(self.web_source).capture.outcome, Capture.Outcome.GONE)

    def test_a_server_error_is_not_reached(self):
        self.server.serve("/report", "<h1>Oops</h1>", status=503)

        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.UNREACHABLE)
        self.assertIn("503", recheck.capture.problem)

    @override_settings(SOURCE_FETCH_ALLOW_PRIVATE=False)
    def test_a_refused_address_is_not_reached_with_the_reason(self):
        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.UNREACHABLE)
        self.assertIn("loopback", recheck.capture.problem)
        self.assertIsNone(recheck.capture.status)

    def test_a_page_that_became_a_pdf_is_not_reached(self):
        self.server.serve("/report", b"%PDF-1.4", content_type="application/pdf")

        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.UNREACHABLE)
        self.assertIn("application/pdf", recheck.capture.problem)

    def test_unchanged_compares_with_the_last_capture_that_reached_the_page(self):
        self.change_page([*PARAGRAPHS[:4]])
        self.assertEqual(recheck_source(self.web_source).capture.outcome, Capture.Outcome.CHANGED)
        self.server.serve("/report", "down", status=500)
        recheck_source(self.web_source)
        self.change_page([*PARAGRAPHS[:4]])

        recheck = recheck_source(self.web_source)

        self.assertEqual(recheck.capture.outcome, Capture.Outcome.UNCHANGED)
        self.assertEqual(self.outcomes(recheck)["mediation"], QuoteCheck.Outcome.GONE)

    def test_the_summary_says_what_happened(self):
        self.change_page([*PARAGRAPHS[:3], *PARAGRAPHS[4:]])

        self.assertEqual(
            recheck_source(self.web_source).summary(), "The page has changed. Quotes: 3 still present, 1 gone."
        )


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class HostilePageTests(RecheckTestCase):
    def test_five_megabytes_of_text_in_ten_thousand_paragraphs_is_checked_in_seconds(self):
        paragraph = "the group gives the TTP support in talks agreed in June in Kabul " * 7
        text = "\n\n".join(f"{n} {paragraph}" for n in range(10_000))
        text = (text * 2)[:5_000_000]
        self.assertGreaterEqual(text.count("\n\n"), 10_000)
        self.server.serve("/report", text, content_type="text/plain; charset=utf-8")
        for n in range(10):  # more claims to compare, each against the whole page
            make_claim(self.web_source, PARAGRAPHS[n % 5][:40], self.pakistan, self.analyst, paraphrase=f"n{n}")

        started = time.process_time()
        recheck = recheck_source(self.web_source)
        spent = time.process_time() - started

        self.assertGreater(len(recheck.capture.text), 4_900_000)  # kept whole, trailing spaces aside
        self.assertEqual(len(recheck.checks), len(QUOTES) + 10)
        self.assertLess(spent, 20, f"the re-check took {spent:.1f} s of CPU")

    def test_comparisons_are_bounded_whatever_the_page(self):
        old = "\n\n".join(PARAGRAPHS)
        comparison = Comparison(old, "\n\n".join(["same paragraph"] * 50_000) + "x" * 3_000_000)

        self.assertLessEqual(len(comparison.new), 5_000)
        self.assertLessEqual(len(comparison.new.text), 500_000)


class ComparisonTests(BaseTestCase):
    """Comparison alone: the anchored text against a new text, no fetching."""

    OLD = "\n\n".join(PARAGRAPHS)

    def claim(self, quote: str) -> Claim:
        return make_claim(self.source_with_old_text, quote, self.taliban, self.analyst)

    def setUp(self):
        super().setUp()
        self.source_with_old_text = make_source(text=self.OLD, title="Old")

    def test_a_quote_whose_paragraph_gained_words_before_it_is_present(self):
        new = self.OLD.replace("A ceasefire between", "As officials confirmed, a ceasefire between")
        check = Comparison(self.OLD, new).check(self.claim(QUOTES["agreed"]))

        self.assertEqual(check.outcome, QuoteCheck.Outcome.PRESENT)

    def test_typographic_differences_are_tolerated(self):
        claim = self.claim("Pakistan says the Afghan Taliban shelter TTP fighters")
        new = self.OLD.replace("Afghan Taliban shelter", "Afghan  Taliban\u00a0shelter")

        check = Comparison(self.OLD, new).check(claim)

        self.assertEqual(check.outcome, QuoteCheck.Outcome.PRESENT)
        self.assertEqual(check.found_text, "Pakistan says the Afghan  Taliban\u00a0shelter TTP fighters")

    def test_the_threshold_is_documented_and_sensible(self):
        self.assertGreater(ALTERED_MIN_SIMILARITY, 0.5)
        self.assertLess(ALTERED_MIN_SIMILARITY, 0.9)

    def test_an_empty_page_has_every_quote_gone(self):
        check = Comparison(self.OLD, "").check(self.claim(QUOTES["ended"]))

        self.assertEqual(check.outcome, QuoteCheck.Outcome.GONE)


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class RecheckCommandTests(RecheckTestCase):
    def run_command(self, *args, verbosity=1):
        out, err = StringIO(), StringIO()
        call_command("recheck_sources", *args, stdout=out, stderr=err, verbosity=verbosity)
        return out.getvalue(), err.getvalue()

    def make_web_source(self, path: str, paragraphs: list[str]) -> Source:
        self.server.serve(path, article(paragraphs))
        capture = capture_page(self.server.url(path))
        source = make_source(text=capture.text, title=path, url=capture.requested_url)
        capture.source = source
        capture.save()
        return source

    def test_it_rechecks_every_source_with_an_address_and_sums_up(self):
        other = self.make_web_source("/other", ["Another article, with its own words to quote."])

        out, _ = self.run_command()

        self.assertEqual(self.web_source.captures.filter(purpose="recheck").count(), 1)
        self.assertEqual(other.captures.filter(purpose="recheck").count(), 1)
        self.assertFalse(self.source.captures.exists())  # pasted, no address
        self.assertIn("Re-checked 2 sources: pages 2 unchanged, 0 changed, 0 page gone, 0 not reached;", out)
        self.assertIn("quotes 4 still present, 0 moved, 0 altered, 0 gone.", out)

    def test_source_rechecks_only_that_one(self):
        other = self.make_web_source("/other", ["Another article, with its own words to quote."])

        self.run_command("--source", str(other.pk))

        self.assertFalse(self.web_source.captures.filter(purpose="recheck").exists())
        self.assertTrue(other.captures.filter(purpose="recheck").exists())

    def test_an_unknown_or_malformed_source_id_is_refused(self):
        for value, message in (
            ("999999", "no source 999999"),
            ("²", "a whole number"),
            (str(self.source.pk), "no source"),
        ):
            with self.subTest(value=value), self.assertRaisesMessage(CommandError, message):
                self.run_command("--source", value)

    def test_older_than_skips_sources_captured_more_recently(self):
        stale = self.make_web_source("/stale", ["An older article that nobody checked for a while."])
        Capture.objects.filter(source=stale).update(retrieved_at=timezone.now() - timedelta(days=8))

        out, _ = self.run_command("--older-than", "7d")

        self.assertTrue(stale.captures.filter(purpose="recheck").exists())
        self.assertFalse(self.web_source.captures.filter(purpose="recheck").exists())
        self.assertIn("Re-checked 1 source:", out)

    def test_older_than_reads_hours_days_and_weeks(self):
        Capture.objects.filter(source=self.web_source).update(retrieved_at=timezone.now() - timedelta(hours=13))
        for value, rechecked in (("2w", 0), ("1d", 0), ("12h", 1)):
            with self.subTest(value=value):
                self.run_command("--older-than", value)
                self.assertEqual(self.web_source.captures.filter(purpose="recheck").count(), rechecked)

    def test_a_malformed_age_is_a_clear_error(self):
        for value in ("7", "7x", "d7", "-1d", "1.5d", "٧d"):
            with self.subTest(value=value), self.assertRaisesMessage(CommandError, "such as 12h, 7d or 2w"):
                self.run_command(f"--older-than={value}")

    def test_it_shows_its_progress(self):
        self.make_web_source("/other", ["Another article, with its own words to quote."])

        out, err = self.run_command(verbosity=2)

        self.assertIn("re-check", err)
        self.assertIn("2/2", err)
        self.assertIn(f"Source {self.web_source.pk}: The page is unchanged.", out)

    def test_it_is_quiet_with_verbosity_zero(self):
        out, err = self.run_command(verbosity=0)

        self.assertEqual((out, err), ("", ""))

    def test_a_page_gone_is_a_result_not_an_error(self):
        self.server.serve("/report", "gone", status=404)

        out, _ = self.run_command()

        self.assertIn("1 page gone", out)

    def test_an_error_fails_the_command_after_the_other_sources(self):
        other = self.make_web_source("/other", ["Another article, with its own words to quote."])
        real = recheck_source

        def failing(source, **kwargs):
            if source.pk == self.web_source.pk:
                raise RuntimeError("disk full")
            return real(source, **kwargs)

        with (
            mock.patch("sources.management.commands.recheck_sources.recheck_source", failing),
            self.assertRaisesMessage(
                CommandError, f"1 source could not be re-checked because of an error (see above): {self.web_source.pk}."
            ),
        ):
            self.run_command()

        self.assertTrue(other.captures.filter(purpose="recheck").exists())
