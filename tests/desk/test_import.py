import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from sources.dates import DatePrecision
from sources.models import Source
from tests.base import SAMPLE_TEXT
from tests.desk.base import BOOSTED, DeskTestCase


class SourceImportTests(DeskTestCase):
    url = reverse("desk:source_import")

    def post(self, **fields):
        data = {"title": "Kabul report", "language": "en", "text": "", **fields}
        return self.client.post(self.url, data)

    def setUp(self):
        self.login()

    def test_it_shows_the_form(self):
        with self.assertNumQueries(2):
            response = self.client.get(self.url)
        self.assertContains(response, 'enctype="multipart/form-data"')

    def test_pasted_text_is_normalized_and_the_analyst_goes_to_annotate_it(self):
        response = self.post(text="  First line  \r\nSecond line\r\n", published="2022-12", outlet="Pakistan Today")
        source = Source.objects.get(title="Kabul report")
        self.assertRedirects(response, reverse("desk:source", args=[source.pk]))
        self.assertEqual(source.text, "First line\nSecond line")
        self.assertEqual((source.published_on, source.published_precision), (datetime.date(2022, 12, 1), "month"))
        self.assertEqual(source.created_by, self.analyst)

    def test_an_empty_published_date_is_stored_as_unknown(self):
        self.post(text="Some text.")
        source = Source.objects.get(title="Kabul report")
        self.assertEqual((source.published_on, source.published_precision), (None, DatePrecision.UNKNOWN))

    def test_an_uploaded_html_file_is_reduced_to_its_text(self):
        page = b"<html><head><style>p{}</style></head><body><p>One.</p><script>x()</script><p>Two.</p></body></html>"
        response = self.client.post(
            self.url, {"title": "Page", "language": "en", "file": SimpleUploadedFile("page.html", page)}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Source.objects.get(title="Page").text, "One.\n\nTwo.")

    def test_a_source_with_the_same_url_is_not_imported_again(self):
        self.source.url = "https://example.org/report"
        self.source.save()
        response = self.post(text="Different text.", url="https://example.org/report")
        self.assertContains(response, "This source is already here", status_code=409)
        self.assertContains(response, reverse("desk:source", args=[self.source.pk]), status_code=409)
        self.assertEqual(Source.objects.count(), 1)

    def test_a_source_with_the_same_text_is_not_imported_again(self):
        response = self.post(text=SAMPLE_TEXT.replace("\n", "\r\n") + "\n")
        self.assertContains(response, "(same text)", status_code=409)
        self.assertEqual(Source.objects.count(), 1)

    def test_empty_text_is_refused_and_the_typed_fields_are_kept(self):
        response = self.post(text="   ", outlet="Dawn")
        self.assertContains(response, "The text is empty", status_code=422)
        self.assertContains(response, 'value="Kabul report"', status_code=422)
        self.assertContains(response, 'value="Dawn"', status_code=422)

    @override_settings(SOURCE_UPLOAD_MAX_BYTES=1024)
    def test_an_oversized_upload_is_refused_with_the_limit(self):
        big = SimpleUploadedFile("big.txt", b"word " * 300)
        response = self.client.post(self.url, {"title": "Big", "language": "en", "file": big})
        self.assertContains(response, "the limit is 1.0\xa0KB", status_code=422)
        self.assertContains(response, "choose the file again", status_code=422)
        self.assertFalse(Source.objects.filter(title="Big").exists())

    def test_a_binary_upload_is_refused(self):
        pdf = SimpleUploadedFile("report.txt", b"%PDF-1.4\x00\x01")
        response = self.client.post(self.url, {"title": "PDF", "language": "en", "file": pdf})
        self.assertContains(response, "is a PDF, not text", status_code=422)

    def test_undecodable_bytes_are_refused(self):
        latin = SimpleUploadedFile("latin.txt", "Café".encode("latin-1"))
        response = self.client.post(self.url, {"title": "Latin", "language": "en", "file": latin})
        self.assertContains(response, "is not valid UTF-8 text", status_code=422)

    def test_pasting_and_uploading_at_once_is_refused(self):
        upload = SimpleUploadedFile("a.txt", b"File text.")
        response = self.client.post(self.url, {"title": "Both", "language": "en", "text": "Typed.", "file": upload})
        self.assertContains(response, "not both", status_code=422)
        self.assertContains(response, "Typed.", status_code=422)

    def test_a_malformed_date_is_refused_with_the_accepted_forms(self):
        response = self.post(text="Text.", published="22/12/2022")
        self.assertContains(response, "write YYYY, YYYY-MM or YYYY-MM-DD", status_code=422)
        self.assertContains(response, 'value="22/12/2022"', status_code=422)

    def test_an_impossible_date_is_refused(self):
        response = self.post(text="Text.", published="2022-02-30")
        self.assertContains(response, "is not a real date", status_code=422)

    def test_a_malformed_language_tag_is_refused(self):
        response = self.post(text="Text.", language="English")
        self.assertContains(response, "Write a language tag", status_code=422)

    def test_a_boosted_request_gets_the_whole_page(self):
        response = self.client.post(self.url, {"title": "", "language": "en", "text": "x"}, **BOOSTED)
        self.assertContains(response, "<html", status_code=422)
