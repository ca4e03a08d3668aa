"""The desk's source page lists the source's captures, and its "Re-check now" button re-checks the page."""

from datetime import UTC, datetime, timedelta

from django.test import Client
from django.urls import reverse

from sources.fetching import Unreachable
from sources.models import Capture, Source
from tests.base import SAMPLE_TEXT, make_claim
from tests.captures import import_capture, not_found, page_says, recheck_with
from tests.desk.base import DeskTestCase

IMPORTED = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
CHECKED = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
PARAGRAPHS = SAMPLE_TEXT.split("\n\n")


class CaptureDeskTestCase(DeskTestCase):
    def setUp(self):
        super().setUp()
        Source.objects.filter(pk=self.source.pk).update(url="https://news.example/taliban-ttp")
        self.source.refresh_from_db()
        self.original = import_capture(self.source, when=IMPORTED)
        self.url = reverse("desk:source", args=[self.source.pk])
        self.recheck_url = reverse("desk:source_recheck", args=[self.source.pk])


class CaptureListTests(CaptureDeskTestCase):
    def test_it_lists_each_capture_with_its_date_purpose_answer_result_and_hash(self):
        recheck_with(self.source, "\n\n".join(PARAGRAPHS[1:]), when=CHECKED)
        self.login()

        response = self.client.get(self.url)

        self.assertContains(response, '<h2 id="captures-heading">Captures of its page</h2>')
        self.assertContains(response, "6 Dec 2026, 09:30")
        self.assertContains(response, "1 Nov 2026, 10:00")
        self.assertContains(response, "<td>re-check</td>")
        self.assertContains(response, "<td>import</td>")
        self.assertContains(response, "HTTP 200", count=2)
        self.assertContains(response, '<span class="capture-result capture-result--changed">changed</span>')
        self.assertContains(
            response, f'<code title="{self.original.body_sha256}">{self.original.body_sha256[:12]}…</code>'
        )
        self.assertContains(
            response,
            '<span class="captures__count">0 present</span> · <span class="captures__count">0 moved</span> · '
            '<span class="captures__count">0 altered</span> · <span class="captures__count"><strong>1 gone</strong></span>',
        )

    def test_a_failed_recheck_shows_why(self):
        recheck_with(self.source, Unreachable("The host “news.example” could not be found."))
        self.login()

        response = self.client.get(self.url)

        self.assertContains(response, '<span class="capture-result capture-result--unreachable">not reached</span>')
        self.assertContains(response, "The host “news.example” could not be found.")

    def test_a_source_without_an_address_has_no_button(self):
        Source.objects.filter(pk=self.source.pk).update(url="")
        self.original.delete()
        self.login()

        response = self.client.get(self.url)

        self.assertNotContains(response, self.recheck_url)
        self.assertContains(response, "there is no page to capture or re-check")

    def test_its_query_count_does_not_grow_with_the_captures(self):
        self.login()
        self.client.get(self.url)  # the account and its roles are kept from here on
        with self.assertNumQueries(6):  # with the claims' answers and the translations
            self.client.get(self.url)
        for n in range(25):
            recheck_with(self.source, SAMPLE_TEXT, when=CHECKED + timedelta(days=n))

        with self.assertNumQueries(6):
            response = self.client.get(self.url)

        self.assertContains(response, '<tr class="captures__row', count=20)
        self.assertContains(response, "Only the latest 20 captures are listed here")


class RecheckButtonTests(CaptureDeskTestCase):
    def test_the_page_has_the_button_with_a_csrf_token(self):
        self.login()

        response = self.client.get(self.url)

        self.assertContains(response, f'<form method="post" action="{self.recheck_url}"')
        self.assertContains(response, ">Re-check now</button>")

    def test_an_analyst_rechecks_the_page_and_reads_the_result(self):
        make_claim(self.source, "Its chief spokesman said", self.taliban, self.analyst)
        self.login()

        with page_says("\n\n".join(PARAGRAPHS[:2])):
            response = self.client.post(self.recheck_url, follow=True)

        self.assertRedirects(response, self.url + "#captures")
        capture = self.source.captures.get(purpose=Capture.Purpose.RECHECK)
        self.assertEqual((capture.outcome, capture.created_by), (Capture.Outcome.CHANGED, self.analyst))
        self.assertContains(response, "Re-checked. The page has changed. Quotes: 1 still present, 1 gone.")

    def test_reviewers_and_admins_may_recheck_too(self):
        for user in (self.reviewer, self.admin):
            self.login(user)
            with self.subTest(user=user.username), page_says(SAMPLE_TEXT):
                self.assertEqual(self.client.post(self.recheck_url).status_code, 302)

    def test_a_failed_fetch_shows_its_message_never_a_server_error(self):
        self.login()

        with page_says(not_found()):
            response = self.client.post(self.recheck_url, follow=True)

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "The page could not be re-checked. The server answered 404 Not Found: there is no page at this address any more.",
        )
        self.assertEqual(self.source.captures.get(purpose="recheck").outcome, Capture.Outcome.GONE)

    def test_a_source_without_an_address_is_refused_with_a_reason(self):
        Source.objects.filter(pk=self.source.pk).update(url="")
        self.login()

        response = self.client.post(self.recheck_url)

        self.assertContains(response, "This source has no address", status_code=409)
        self.assertFalse(self.source.captures.filter(purpose="recheck").exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.post(self.recheck_url)

        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertFalse(self.source.captures.filter(purpose="recheck").exists())

    def test_readers_with_an_account_are_refused(self):
        self.login(self.outsider)

        response = self.client.post(self.recheck_url)

        self.assertContains(response, "The desk is for analysts and reviewers", status_code=403)
        self.assertFalse(self.source.captures.filter(purpose="recheck").exists())

    def test_it_takes_posts_only(self):
        self.login()

        self.assertEqual(self.client.get(self.recheck_url).status_code, 405)

    def test_it_needs_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.analyst)

        with page_says(SAMPLE_TEXT):
            response = client.post(self.recheck_url)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.source.captures.filter(purpose="recheck").exists())

    def test_an_unknown_source_is_a_readable_404(self):
        self.login()

        response = self.client.post(reverse("desk:source_recheck", args=[99999]))

        self.assertContains(response, "There is no such source", status_code=404)
