"""Captures for tests, made without the network: a page as if fetched, kept as the desk and re-checks keep it."""

import hashlib
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.utils import timezone

from sources.capture import capture_from, store
from sources.fetching import ErrorStatus, Fetched, FetchRefused
from sources.models import Capture
from sources.recheck import Recheck, recheck_source


def fetched_page(url: str, body: str | bytes, *, content_type: str = "text/plain", when: datetime | None = None):
    """A page as ``sources.fetching.fetch`` returns it (text/plain by default: its text is the body, no extraction)."""
    raw = body.encode() if isinstance(body, str) else body
    return Fetched(
        requested_address=url,
        final_address=url,
        redirects=(),
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=(("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(raw)))),
        body=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        retrieved_at=when or timezone.now(),
        content_type=content_type,
        declared_charset="utf-8",
        encoding="utf-8",
        text=raw.decode(),
    )


def import_capture(source, body: str | None = None, *, when: datetime | None = None) -> Capture:
    """The capture an import from the source's address would have kept (its body is the source's text by default)."""
    fetched = fetched_page(source.url or "https://news.example/page", source.text if body is None else body, when=when)
    return store(capture_from(fetched, source=source, purpose=Capture.Purpose.IMPORT))


@contextmanager
def page_says(body: str | bytes | FetchRefused, *, when: datetime | None = None):
    """While inside, fetching any address returns ``body`` (or raises it, for a FetchRefused)."""
    if isinstance(body, FetchRefused):
        patch = mock.patch("sources.capture.fetch", side_effect=body)
    else:
        patch = mock.patch("sources.capture.fetch", side_effect=lambda url: fetched_page(url, body, when=when))
    with patch:
        yield


def recheck_with(source, body: str | bytes | FetchRefused, *, when: datetime | None = None) -> Recheck:
    """Re-check ``source`` as if its page now said ``body`` (or failed with it)."""
    with page_says(body, when=when):
        return recheck_source(source)


def not_found() -> ErrorStatus:
    return ErrorStatus("The server answered 404 Not Found, so there is no page to import.", status=404)
