"""sources.importing: pasted and uploaded text becomes normalized source text, or a clear refusal."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from sources.importing import SourceImportError, prepare_text, text_from_html, text_from_upload


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


class TextFromHtmlTests(SimpleTestCase):
    def test_it_keeps_paragraphs_and_drops_scripts_and_styles(self):
        html = (
            "<html><head><title>Page</title><style>p { color: red }</style></head><body>"
            "<h1>Headline</h1><script>alert('x')</script><p>First   paragraph\nwraps.</p>"
            "<div>Second <b>bold</b> one.</div></body></html>"
        )
        self.assertEqual(text_from_html(html), "Headline\n\nFirst paragraph wraps.\n\nSecond bold one.")

    def test_it_decodes_entities_and_keeps_line_breaks(self):
        self.assertEqual(text_from_html("<p>Tom &amp; Jerry&rsquo;s<br>next line</p>"), "Tom & Jerry’s\nnext line")

    def test_a_head_left_open_ends_at_the_body(self):
        self.assertEqual(text_from_html("<head><title>T</title><body><p>Text</p>"), "Text")

    def test_list_items_become_paragraphs(self):
        self.assertEqual(text_from_html("<ul><li>One</li><li>Two</li></ul>"), "One\n\nTwo")


class TextFromUploadTests(SimpleTestCase):
    def test_it_reads_utf8_text_and_normalizes_it(self):
        text = text_from_upload(upload("a.txt", b"Line one  \r\nLine two\r\n\r\n\r\n\r\nEnd"))
        self.assertEqual(text, "Line one\nLine two\n\nEnd")

    def test_it_strips_a_byte_order_mark(self):
        self.assertEqual(text_from_upload(upload("a.md", "\ufeff# Title".encode())), "# Title")

    def test_it_reduces_html_files_to_text(self):
        data = b"<html><body><p>One</p><script>x()</script><p>Two</p></body></html>"
        self.assertEqual(text_from_upload(upload("page.html", data)), "One\n\nTwo")

    def test_it_honours_the_charset_an_html_file_declares(self):
        data = '<meta charset="windows-1256"><p>طالبان</p>'.encode("cp1256")
        self.assertEqual(text_from_upload(upload("fa.htm", data)), "طالبان")

    @override_settings(SOURCE_UPLOAD_MAX_BYTES=1024)
    def test_it_refuses_a_file_over_the_limit(self):
        with self.assertRaisesMessage(SourceImportError, "the limit is 1.0\xa0KB"):
            text_from_upload(upload("big.txt", b"x" * 1025))

    def test_it_refuses_binary_files(self):
        with self.assertRaisesMessage(SourceImportError, "is a PDF, not text"):
            text_from_upload(upload("report.txt", b"%PDF-1.7 binary"))
        with self.assertRaisesMessage(SourceImportError, "contains binary data"):
            text_from_upload(upload("data.txt", b"abc\x00\x01def"))

    def test_it_refuses_undecodable_bytes_with_their_position(self):
        with self.assertRaisesMessage(SourceImportError, "not valid UTF-8 text: the bytes at position 6"):
            text_from_upload(upload("latin.txt", "Caf\u00e9 – ok".encode("utf-8")[:3] + b"abc\xe9 x"))

    def test_it_refuses_other_file_types(self):
        with self.assertRaisesMessage(SourceImportError, "upload a .txt, .md or .html file"):
            text_from_upload(upload("report.docx", b"text"))

    def test_it_refuses_a_file_with_no_text(self):
        with self.assertRaisesMessage(SourceImportError, "The text is empty"):
            text_from_upload(upload("empty.html", b"<html><script>only()</script></html>"))


class PrepareTextTests(SimpleTestCase):
    def test_it_refuses_empty_text(self):
        with self.assertRaises(SourceImportError):
            prepare_text("  \n\t ")

    @override_settings(SOURCE_UPLOAD_MAX_BYTES=1024)
    def test_it_refuses_pasted_text_over_the_limit(self):
        with self.assertRaisesMessage(SourceImportError, "the limit is 1.0\xa0KB"):
            prepare_text("é" * 600)
