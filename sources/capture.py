"""Capturing a source from its address: what the page said, and what the analyst is shown of it.

``capture_page`` fetches an address (safely, see ``sources.fetching``) and
returns an unsaved ``Capture``: the exact response kept as a WARC record, its
SHA-256, and the page's main text. ``extract`` reads what an analyst would
otherwise type: title, outlet, authors, published date, language and the main
text without menus, boilerplate and comments. The heavy lifting is
trafilatura's (main text and metadata) and htmldate's (the publication date).
"""

import io
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

import htmldate
import trafilatura
from django.db import transaction
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sources.dates import DatePrecision
from sources.fetching import ErrorStatus, Fetched, FetchRefused, fetch
from sources.importing import headline
from sources.models import Capture, Source
from sources.text import normalize_text

# How long a capture previewed at the desk waits to become a source.
UNCLAIMED_KEPT = timedelta(days=1)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# What a byline leaves around names: "By", separators, trailing punctuation.
_BYLINE_NOISE = re.compile(r"^\s*(?:by|from)\s+|[\s·|•,;:–—-]+$", re.IGNORECASE)
# An upper bound on what is handed to the extractors: a page past this is not an article.
EXTRACT_MAX_CHARS = 3_000_000


@dataclass(frozen=True)
class Extraction:
    """What a page says about itself, for the analyst to check and correct."""

    title: str = ""
    outlet: str = ""
    authors: str = ""
    published_on: date | None = None
    published_precision: str = DatePrecision.UNKNOWN
    language: str = ""
    text: str = ""


def extract(fetched: Fetched) -> Extraction:
    """Title, outlet, authors, date, language and main text of a fetched page."""
    if fetched.content_type not in HTML_TYPES:
        text = normalize_text(fetched.text)
        title = headline(text.lstrip("# \t"), max_length=500)  # a Markdown heading's marks are not its title
        return Extraction(title=title, text=text, language=_header_language(fetched))
    html = fetched.text[:EXTRACT_MAX_CHARS]
    document = trafilatura.bare_extraction(
        html,
        url=fetched.final_address,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
    )
    metadata = document.as_dict() if document is not None else {}
    if document is None:  # trafilatura found no main text: its metadata alone is still worth having
        metadata = trafilatura.extract_metadata(html, default_url=fetched.final_address)
        metadata = metadata.as_dict() if metadata is not None else {}
    published_on, precision = _published(html, metadata.get("date"))
    return Extraction(
        title=_clean(metadata.get("title"), 500),
        outlet=_clean(metadata.get("sitename"), 200),
        authors=_authors(metadata.get("author")),
        published_on=published_on,
        published_precision=precision,
        language=_document_language(html) or _header_language(fetched),
        text=_paragraphs(metadata.get("text") or ""),
    )


def capture_page(url: str, *, user=None, source: Source | None = None, purpose=Capture.Purpose.IMPORT) -> Capture:
    """Fetch ``url`` and return an unsaved capture of it.

    Raises ``FetchRefused`` (its message is for the analyst) when the page
    cannot be fetched.
    """
    fetched = fetch(url)
    return capture_from(fetched, user=user, source=source, purpose=purpose)


def capture_from(
    fetched: Fetched, *, extraction: Extraction | None = None, user=None, source=None, purpose=Capture.Purpose.IMPORT
) -> Capture:
    extraction = extraction or extract(fetched)
    return Capture(
        source=source,
        purpose=purpose,
        requested_url=fetched.requested_address[:2000],
        final_url=fetched.final_address[:2000],
        retrieved_at=fetched.retrieved_at,
        status=fetched.status,
        content_type=fetched.content_type,
        encoding=fetched.encoding,
        body_sha256=fetched.sha256,
        body_size=len(fetched.body),
        warc=warc_record(fetched),
        text=extraction.text,
        created_by=user,
    )


def preview_page(url: str, *, user) -> tuple[Capture, Extraction]:
    """Fetch ``url`` for an analyst importing it: a saved capture not yet tied to a source, and what it says.

    Captures previewed but never saved as a source are deleted after a day.
    """
    fetched = fetch(url)
    extraction = extract(fetched)
    capture = capture_from(fetched, extraction=extraction, user=user)
    with transaction.atomic():
        Capture.objects.unclaimed(older_than=UNCLAIMED_KEPT).delete()
        capture.save()
    return capture, extraction


def failed_capture(url: str, error: FetchRefused, *, user=None, source=None, purpose=Capture.Purpose.RECHECK):
    """An unsaved capture recording that ``url`` could not be fetched, and why."""
    from django.utils import timezone

    return Capture(
        source=source,
        purpose=purpose,
        requested_url=url[:2000],
        retrieved_at=timezone.now(),
        status=error.status if isinstance(error, ErrorStatus) else None,
        problem=str(error)[:500],
        created_by=user,
    )


def warc_record(fetched: Fetched) -> bytes:
    """The response as a gzipped WARC file: a warcinfo, the response, and a metadata record of the redirects."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    info = writer.create_warcinfo_record(
        "capture.warc.gz", {"software": "Claim tracker source capture", "format": "WARC File Format 1.1"}
    )
    writer.write_record(info)
    protocol = f"HTTP/{fetched.http_version.removeprefix('HTTP/')}" if fetched.http_version else "HTTP/1.1"
    status_line = f"{fetched.status} {fetched.reason}".strip()
    http_headers = StatusAndHeaders(status_line, list(fetched.headers), protocol=protocol)
    date_header = fetched.retrieved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    response = writer.create_warc_record(
        fetched.final_address,
        "response",
        payload=io.BytesIO(fetched.body),
        length=len(fetched.body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date_header},
    )
    writer.write_record(response)
    provenance = {
        "requested": fetched.requested_address,
        "redirects": [
            {"address": hop.address, "status": hop.status, "location": hop.location} for hop in fetched.redirects
        ],
        "decoded_as": fetched.encoding,
        "sha256": fetched.sha256,
    }
    metadata = writer.create_warc_record(
        fetched.final_address,
        "metadata",
        payload=io.BytesIO(json.dumps(provenance, ensure_ascii=False).encode()),
        warc_content_type="application/json",
        warc_headers_dict={"WARC-Date": date_header, "WARC-Concurrent-To": response.rec_headers["WARC-Record-ID"]},
    )
    writer.write_record(metadata)
    return buffer.getvalue()


def archived_body(capture: Capture) -> bytes:
    """The response body kept in a capture's WARC (b"" when none is kept)."""
    from warcio.archiveiterator import ArchiveIterator

    copy = capture.archived_copy()
    if copy is None:
        return b""
    for record in ArchiveIterator(io.BytesIO(bytes(copy.warc))):
        if record.rec_type == "response":
            return record.content_stream().read()
    return b""


def store(capture: Capture) -> Capture:
    """Save a capture, keeping its WARC only if no archived capture of the source has the same body."""
    with transaction.atomic():
        identical = Capture.objects.filter(source_id=capture.source_id, body_sha256=capture.body_sha256).archived()
        if capture.source_id and capture.body_sha256 and capture.warc is not None and identical.exists():
            capture.warc = None
        capture.save()
    return capture


def _published(html: str, found: str | None) -> tuple[date | None, str]:
    """The publication date, by htmldate (original date, not last modified); day precision."""
    try:
        value = htmldate.find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate parses arbitrary markup; a failure only means no date
        value = None
    value = value or found
    if not value:
        return None, DatePrecision.UNKNOWN
    try:
        return date.fromisoformat(value[:10]), DatePrecision.DAY
    except ValueError:
        return None, DatePrecision.UNKNOWN


def _document_language(html: str) -> str:
    match = re.search(r"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z0-9-]+)", html[:4096], re.IGNORECASE)
    return _language_tag(match.group(1)) if match else ""


def _header_language(fetched: Fetched) -> str:
    for name, value in fetched.headers:
        if name.lower() == "content-language":
            return _language_tag(value.split(",")[0].strip())
    return ""


def _language_tag(value: str) -> str:
    value = value.replace("_", "-").strip()
    return value[:35] if _LANGUAGE_TAG.match(value) else ""


def _clean(value: str | None, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _authors(value: str | None) -> str:
    names = [_BYLINE_NOISE.sub("", name).strip() for name in re.split(r";|\band\b", value or "")]
    return _clean(", ".join(name for name in names if name), 500)


def _paragraphs(text: str) -> str:
    """trafilatura's text has one paragraph per line; sources separate paragraphs with a blank line."""
    return normalize_text("\n\n".join(line.strip() for line in text.splitlines() if line.strip()))
