"""Importing a source from its address: fetch, preview what was read, correct, save with its capture."""

import datetime
import io
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from warcio.archiveiterator import ArchiveIterator

from sources.capture import UNCLAIMED_KEPT
from sources.models import Capture, Source
from tests.desk.base import DeskTestCase
from tests.pageserver import PAGES, PageServer


@override_settings(SOURCE_FETCH_ALLOW_PRIVATE=True)
class ImportByAddressTests(DeskTestCase):
    url = reverse("desk:source_import")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = PageServer().start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        self.server.served.clear()
        self.server.requests.clear()
        self.login()

    def fetch(self, address, **typed):
        return self.client.post(self.url, {"url": address, "fetch": "1", **typed})

    def preview(self, address):
        """Fetch ``address`` and return the import form's fields as the page shows them."""
        response = self.fetch(address)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        return response, {name: form[name].value() or "" for name in form.fields if name != "file"}

    def test_fetching_shows_what_was_read_from_the_page_and_saves_nothing_yet(self):
        response, fields = self.preview(self.server.url("/article"))
        self.assertContains(response, "The fields below were read from the page")
        self.assertContains(response, 'value="Ministry denies shelling near the river crossing"')
        self.assertContains(response, 'value="The Daily Ledger"')
        self.assertContains(response, 'value="Anna Kovač"')
        self.assertContains(response, 'value="2024-03-12"')
        self.assertContains(response, "no artillery units were deployed within twenty kilometres")
        self.assertNotContains(response, "© The Daily Ledger")  # the footer is not the article
        self.assertNotContains(response, "World</a>")
        self.assertEqual(fields["language"], "en")
        self.assertFalse(Source.objects.filter(title__startswith="Ministry denies").exists())
        capture = Capture.objects.get()
        self.assertIsNone(capture.source)
        self.assertEqual(capture.created_by, self.analyst)

    def test_the_analyst_corrects_a_field_and_saves_the_source_with_its_capture(self):
        _, fields = self.preview(self.server.url("/article"))
        fields["title"] = "Ministry denies shelling (corrected)"
        response = self.client.post(self.url, fields)
        source = Source.objects.get(title="Ministry denies shelling (corrected)")
        self.assertRedirects(response, reverse("desk:source", args=[source.pk]))
        self.assertEqual(source.url, self.server.url("/article"))
        self.assertEqual((source.published_on, source.published_precision), (datetime.date(2024, 3, 12), "day"))
        self.assertEqual(source.outlet, "The Daily Ledger")
        self.assertTrue(source.text.startswith("Ministry denies shelling near the river crossing\n\nThe ministry said"))
        capture = source.captures.get()
        body = (PAGES / "article.html").read_bytes()
        self.assertEqual(capture.status, 200)
        self.assertEqual(capture.body_size, len(body))
        records = list(ArchiveIterator(io.BytesIO(bytes(capture.warc))))
        self.assertEqual([record.rec_type for record in records], ["warcinfo", "response", "metadata"])

    def test_the_warc_holds_the_exact_body_and_headers_and_the_redirects(self):
        _, fields = self.preview(self.server.url("/redirect/2"))
        self.client.post(self.url, fields)
        capture = Capture.objects.get()
        self.assertEqual(capture.requested_url, self.server.url("/redirect/2"))
        self.assertEqual(capture.final_url, self.server.url("/article"))
        archive = io.BytesIO(bytes(capture.warc))
        for record in ArchiveIterator(archive):
            if record.rec_type == "response":
                self.assertEqual(record.rec_headers["WARC-Target-URI"], self.server.url("/article"))
                self.assertEqual(record.http_headers.get_statuscode(), "200")
                self.assertEqual(record.http_headers["X-Recorded"], "yes")
                self.assertEqual(record.content_stream().read(), (PAGES / "article.html").read_bytes())
            if record.rec_type == "metadata":
                metadata = record.content_stream().read().decode()
                self.assertIn("/redirect/1", metadata)
                self.assertIn(capture.body_sha256, metadata)

    def test_what_the_analyst_typed_before_fetching_is_kept(self):
        response = self.fetch(self.server.url("/article"), title="My own title", notes="From the ministry's site")
        self.assertContains(response, 'value="My own title"')
        self.assertContains(response, "From the ministry&#x27;s site")
        self.assertContains(response, 'value="The Daily Ledger"')

    def test_windows_1256_arabic_is_read_with_its_language(self):
        _, fields = self.preview(self.server.url("/arabic"))
        self.assertEqual(fields["language"], "ar")
        self.assertIn("المتحدث باسم الوزارة", fields["title"])
        self.assertIn("وحدات مدفعية", fields["text"])

    def test_a_page_that_lies_about_its_charset_is_read_correctly(self):
        _, fields = self.preview(self.server.url("/lying-charset"))
        self.assertIn("Größere", fields["text"])

    def test_a_markdown_page_is_kept_as_written_with_its_heading_as_title(self):
        _, fields = self.preview(self.server.url("/statement.md"))
        self.assertEqual(fields["title"], "Statement of 12 March 2024")
        self.assertTrue(fields["text"].startswith("# Statement of 12 March 2024"))

    def test_each_refusal_is_a_clear_message_and_nothing_is_stored(self):
        cases = {
            "ftp://example.org/file": "Only http and https addresses can be fetched.",
            self.server.url("/statement.pdf"): "The address serves “application/pdf”",
            self.server.url("/missing"): "404",
            self.server.url("/redirect/9"): "redirect",
            self.server.url("/to-private"): "private",
            "not an address": "Enter a valid URL",
            "": "Enter the address of the page to fetch.",
        }
        for address, message in cases.items():
            with self.subTest(address=address):
                response = self.fetch(address)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, message, status_code=422)
                self.assertContains(response, "You can paste its text or upload it instead.", status_code=422)
        self.assertFalse(Capture.objects.exists())

    @override_settings(SOURCE_FETCH_ALLOW_PRIVATE=False)
    def test_loopback_is_refused_unless_the_setting_allows_it(self):
        response = self.fetch(self.server.url("/article"))
        self.assertContains(response, "only fetches pages from public addresses", status_code=422)
        self.assertEqual(self.server.requests, [])

    @override_settings(SOURCE_FETCH_MAX_BYTES=100_000)
    def test_a_body_over_the_limit_is_refused(self):
        response = self.fetch(self.server.url("/huge"))
        self.assertContains(response, "larger than", status_code=422)
        self.assertFalse(Capture.objects.exists())

    def test_the_same_address_is_not_imported_twice_even_written_differently(self):
        self.source.url = self.server.url("/article?id=1")
        self.source.save()
        address = self.server.url("/article?utm_source=newsletter&id=1#top").replace("http://", "HTTP://")
        response = self.fetch(address)
        self.assertContains(response, "This source is already here", status_code=409)
        self.assertContains(response, "(same address)", status_code=409)
        self.assertContains(response, reverse("desk:source", args=[self.source.pk]), status_code=409)
        self.assertEqual(self.server.requests, [])  # known without fetching
        self.assertFalse(Capture.objects.exists())

    def test_the_same_text_at_another_address_is_not_imported_twice(self):
        self.server.serve("/copy", (PAGES / "article.html").read_bytes())
        _, fields = self.preview(self.server.url("/article"))
        self.client.post(self.url, fields)
        response = self.fetch(self.server.url("/copy"))
        self.assertContains(response, "This source is already here", status_code=409)
        self.assertContains(response, "(same text)", status_code=409)
        self.assertEqual(Capture.objects.count(), 1)

    def test_a_capture_token_is_the_analysts_own_and_cannot_be_forged(self):
        _, fields = self.preview(self.server.url("/article"))
        self.client.force_login(self.other_analyst)
        response = self.client.post(self.url, fields)
        self.assertContains(response, "no longer waiting to be saved", status_code=422)
        self.login()
        response = self.client.post(self.url, {**fields, "capture": fields["capture"] + "x"})
        self.assertContains(response, "no longer waiting to be saved", status_code=422)
        self.assertFalse(Source.objects.filter(url=self.server.url("/article")).exists())

    def test_saving_one_preview_twice_makes_one_source(self):
        _, fields = self.preview(self.server.url("/article"))
        self.client.post(self.url, fields)
        response = self.client.post(self.url, {**fields, "title": "Another title"})
        self.assertIn(response.status_code, {409, 422})
        self.assertEqual(Source.objects.filter(url=self.server.url("/article")).count(), 1)

    def test_a_fetched_page_cannot_be_replaced_by_an_upload(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        _, fields = self.preview(self.server.url("/article"))
        fields["text"] = ""
        response = self.client.post(self.url, {**fields, "file": SimpleUploadedFile("a.txt", b"Other text.")})
        self.assertContains(response, "The text comes from the fetched page", status_code=422)

    def test_previews_never_saved_are_deleted_after_a_day(self):
        self.preview(self.server.url("/article"))
        stale = Capture.objects.get()
        later = stale.retrieved_at + UNCLAIMED_KEPT + datetime.timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.preview(self.server.url("/arabic"))
        self.assertFalse(Capture.objects.filter(pk=stale.pk).exists())
        self.assertEqual(Capture.objects.count(), 1)

    def test_a_page_without_article_text_asks_for_it(self):
        self.server.serve("/empty", "<html><head><title>Loading</title></head><body><script>x()</script></body></html>")
        response, fields = self.preview(self.server.url("/empty"))
        self.assertContains(response, "No article text was found on the page")
        self.assertEqual(fields["text"], "")
        self.assertContains(response, "The page does not say its language: enter it.")
        self.assertEqual(fields["language"], "")

    def test_readers_cannot_fetch(self):
        self.client.force_login(self.outsider)
        response = self.fetch(self.server.url("/article"))
        self.assertEqual(response.status_code, 403)
        self.client.logout()
        response = self.fetch(self.server.url("/article"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.server.requests, [])

    def test_the_reviewer_sees_the_capture_read_only_on_the_sources_admin_page(self):
        _, fields = self.preview(self.server.url("/article"))
        self.client.post(self.url, fields)
        source = Source.objects.get(url=self.server.url("/article"))
        capture = source.captures.get()
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:sources_source_change", args=[source.pk]))
        self.assertContains(response, capture.body_sha256)
        self.assertNotContains(response, 'name="captures-0-status"')  # shown, not editable
