"""An uploaded file whose first line is its headline: that line is the title the analyst left empty."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse

from sources.importing import HEADLINE_MAX_CHARS, headline
from sources.models import Source
from tests.desk.base import DeskTestCase

ARTICLE = "\n  Taliban Mediates, Again, Between TTP and Islamabad  \n\nKABUL – Talks resumed this week.\n"


class HeadlineTests(SimpleTestCase):
    def test_the_first_non_empty_line_trimmed(self):
        self.assertEqual(headline(ARTICLE), "Taliban Mediates, Again, Between TTP and Islamabad")

    def test_a_question_is_a_headline(self):
        self.assertEqual(headline("What Does Taliban Mediation Mean?\nText."), "What Does Taliban Mediation Mean?")

    def test_a_sentence_with_a_full_stop_is_not(self):
        self.assertEqual(headline("Talks resumed in Kabul this week.\nMore."), "")
        self.assertEqual(headline("مذاکرات دوبارہ شروع ہوئے۔\nمزید"), "")

    def test_a_long_line_is_not(self):
        self.assertEqual(headline("word " * (HEADLINE_MAX_CHARS // 5 + 1)), "")

    def test_it_is_cut_to_the_fields_length(self):
        self.assertEqual(headline("A rather long headline\nText", max_length=8), "A rather")


class ImportHeadlineTests(DeskTestCase):
    url = reverse("desk:source_import")

    def setUp(self):
        self.login()

    def upload(self, content: str, title: str = "", name: str = "article.txt"):
        upload = SimpleUploadedFile(name, content.encode("utf-8"))
        return self.client.post(self.url, {"title": title, "language": "en", "file": upload})

    def test_an_upload_without_a_title_takes_its_headline(self):
        response = self.upload(ARTICLE)

        source = Source.objects.latest("pk")
        self.assertRedirects(response, reverse("desk:source", args=[source.pk]), fetch_redirect_response=False)
        self.assertEqual(source.title, "Taliban Mediates, Again, Between TTP and Islamabad")
        self.assertTrue(source.text.startswith("Taliban Mediates, Again"))

    def test_an_html_uploads_heading_is_its_first_line(self):
        self.upload("<h1>Kabul talks stall</h1><p>Text of the report.</p>", name="page.html")

        self.assertEqual(Source.objects.latest("pk").title, "Kabul talks stall")

    def test_a_title_the_analyst_gave_wins(self):
        self.upload(ARTICLE, title="My title")

        self.assertEqual(Source.objects.latest("pk").title, "My title")

    def test_without_a_headline_the_title_is_asked_for(self):
        response = self.upload("Talks resumed in Kabul this week.\n\nMore text.")

        self.assertContains(response, "the file’s first line does not read as a headline", status_code=422)
        self.assertEqual(Source.objects.count(), 1)  # the shared sample only

    def test_pasted_text_still_needs_a_title(self):
        response = self.client.post(self.url, {"title": "", "language": "en", "text": ARTICLE})

        self.assertContains(response, "Enter a title.", status_code=422)
        self.assertEqual(Source.objects.count(), 1)  # the shared sample only
