"""Turning what an analyst pastes or uploads into a source's normalized text.

Uploads may be plain text (``.txt``), Markdown (``.md``, kept as written: source
text is never rendered) or HTML (``.html``/``.htm``, reduced to clean text with
its paragraphs kept and its scripts, styles and other non-text parts dropped).
Anything that is not readable text is refused with a message that says why,
instead of being stored half-read: files over ``settings.SOURCE_UPLOAD_MAX_BYTES``
(2 MB unless configured), binary files, bytes that are not valid in the file's
encoding (or a declared charset that is no text encoding, which is ignored), and
text that is empty or invisible once normalized.
"""

import codecs
import re
from html.parser import HTMLParser
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_lazy

from sources.text import has_visible_text, normalize_text, text_codec

TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})

# Signatures of common binary formats people try to upload instead of text, with the refusal of each.
_BINARY_SIGNATURES = {
    b"%PDF": gettext_lazy(
        "“%(name)s” is a PDF, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
    b"PK\x03\x04": gettext_lazy(
        "“%(name)s” is a Word, OpenDocument or ZIP file, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
    b"\xd0\xcf\x11\xe0": gettext_lazy(
        "“%(name)s” is an old Word or Excel file, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
    b"\x89PNG": gettext_lazy(
        "“%(name)s” is a PNG image, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
    b"\xff\xd8\xff": gettext_lazy(
        "“%(name)s” is a JPEG image, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
    b"GIF8": gettext_lazy(
        "“%(name)s” is a GIF image, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
    b"{\\rtf": gettext_lazy(
        "“%(name)s” is an RTF document, not text. Copy the text out of it and paste it, or save it as .txt or .html first."
    ),
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

# Elements whose content is never part of the readable text.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "canvas"})
# Elements that start a new paragraph.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


class SourceImportError(ValueError):
    """The text cannot be imported; ``str(error)`` is a message for the analyst."""


def max_upload_bytes() -> int:
    return settings.SOURCE_UPLOAD_MAX_BYTES


def prepare_text(text: str) -> str:
    """Normalize pasted or extracted text, refusing it when it is too large or empty."""
    limit = max_upload_bytes()
    size = len(text.encode("utf-8", errors="replace"))
    if size > limit:
        raise SourceImportError(
            gettext(
                "The text is %(size)s; the limit is %(limit)s. Import a shorter excerpt, or split the document into parts."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    text = normalize_text(text)
    if not text:
        raise SourceImportError(
            gettext("The text is empty. Paste the article's text, or upload a .txt, .md or .html file.")
        )
    if not has_visible_text(text):
        raise SourceImportError(
            gettext(
                "The text has only invisible characters (zero-width spaces, joiners, direction marks or spaces), "
                "so there is nothing to quote. Paste the article's text, or upload a .txt, .md or .html file."
            )
        )
    return text


# A headline is a short line that does not end a sentence: a full stop in Latin, CJK or Urdu script.
HEADLINE_MAX_CHARS = 200
_FULL_STOPS = (".", "\u3002", "\u06d4")


def headline(text: str, *, max_length: int = HEADLINE_MAX_CHARS) -> str:
    """The first non-empty line of ``text`` if it reads as a headline, else "".

    A headline is at most HEADLINE_MAX_CHARS characters and has no final full
    stop; it is trimmed and cut to ``max_length`` (the title field's length).
    """
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > HEADLINE_MAX_CHARS or first.endswith(_FULL_STOPS):
        return ""
    return first[:max_length].strip()


def text_from_upload(upload) -> str:
    """Read an uploaded .txt, .md or .html file into normalized source text.

    ``upload`` is a Django UploadedFile. Raises SourceImportError with a message
    for the analyst when the file cannot be used.
    """
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in TEXT_EXTENSIONS | HTML_EXTENSIONS:
        raise SourceImportError(
            gettext(
                "“%(name)s” is not a file the desk can read: upload a .txt, .md or .html file, or paste the text instead."
            )
            % {"name": upload.name}
        )
    limit = max_upload_bytes()
    if upload.size > limit:
        raise SourceImportError(
            gettext(
                "“%(name)s” is %(size)s; the limit is %(limit)s. Import a shorter excerpt, or split the document into parts."
            )
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:  # the reported size was wrong; trust what was read
        raise SourceImportError(
            gettext("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(limit)}
        )
    text = decode_bytes(data, name=upload.name, html=extension in HTML_EXTENSIONS)
    if extension in HTML_EXTENSIONS:
        text = text_from_html(text)
    return prepare_text(text)


def decode_bytes(data: bytes, *, name: str = "The file", html: bool = False) -> str:
    """Decode ``data`` as text: a byte-order mark wins, then an HTML meta charset, then UTF-8."""
    for signature, refusal in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise SourceImportError(refusal % {"name": name})
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decode(data, encoding, name)
    if b"\x00" in data:
        raise SourceImportError(
            gettext(
                "“%(name)s” contains binary data, not text. Save the document as plain text (.txt) or HTML and upload that."
            )
            % {"name": name}
        )
    encoding = "utf-8"
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            # A label that is no text encoding (base64, zlib, rot13, punycode…) is ignored like an unknown one.
            encoding = text_codec(declared.group(1).decode("ascii")) or "utf-8"
    return _decode(data, encoding, name)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeError as error:  # some codecs raise UnicodeError itself, with no position
        position = getattr(error, "start", None)
        values = {"name": name, "encoding": encoding.upper().removesuffix("-SIG"), "position": position}
        if position is None:
            refusal = gettext(
                "“%(name)s” is not valid %(encoding)s text: it cannot be read. "
                "Save the file as UTF-8 and upload it again, or paste the text."
            )
        else:
            refusal = gettext(
                "“%(name)s” is not valid %(encoding)s text: the bytes at position %(position)s cannot be read. "
                "Save the file as UTF-8 and upload it again, or paste the text."
            )
        raise SourceImportError(refusal % values) from None


class _TextExtractor(HTMLParser):
    """Collects the readable text of an HTML document as paragraphs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []  # the open elements whose content is dropped
        self.preformatted = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":  # a <head> left open ends where the body starts
            self.skipping = [open_tag for open_tag in self.skipping if open_tag != "head"]
        if self.skipping:
            if tag in _SKIPPED and tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag == "br":
            self.current.append("\n")
        elif tag in _BLOCKS:
            self.end_paragraph()
            if tag == "pre":
                self.preformatted += 1

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCKS:
            self.end_paragraph()
            if tag == "pre" and self.preformatted:
                self.preformatted -= 1

    def handle_data(self, data):
        if self.skipping:
            return
        self.current.append(data if self.preformatted else _SPACES.sub(" ", data))

    def end_paragraph(self):
        text = "".join(self.current)
        if not self.preformatted:
            text = "\n".join(line.strip() for line in text.split("\n"))
        text = text.strip("\n") if self.preformatted else text.strip("\n ")
        if text:
            self.paragraphs.append(text)
        self.current = []

    def text(self) -> str:
        self.end_paragraph()
        return "\n\n".join(self.paragraphs)


def text_from_html(html: str) -> str:
    """The readable text of an HTML document, one paragraph per block, scripts and styles dropped."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()
