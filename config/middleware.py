"""Refuse requests whose form fields or address parameters are not valid text.

Django decodes form bodies and query strings leniently: bytes that are not valid
in the request's charset (UTF-8 unless the client names another) become U+FFFD
and the request goes on as if the reader had typed them. In a tool that records
exact words that is silent damage, so such a request is refused here with a 400
that names the field, before any view sees it. For an HTMX request the refusal
is a fragment the desk shows in its status region, and the form on the page
keeps everything typed; a full page says the same and the browser's Back button
returns to the form.

In a multipart body (a form with a file) the text fields are checked the same
way; the uploaded file itself is decoded strictly by the importer, which names
the problem.
"""

import codecs
from email import policy
from email.parser import BytesParser
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.shortcuts import render

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MULTIPART_CONTENT_TYPE = "multipart/form-data"


def undecodable_field(data: bytes, encoding: str) -> str | None:
    """The name of the first field in urlencoded ``data`` that is not valid ``encoding``, or None."""
    for pair in data.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        name, value = (unquote_to_bytes(part.replace(b"+", b" ")) for part in (name, value))
        for part in (name, value):
            try:
                part.decode(encoding)
            except UnicodeDecodeError:
                return name.decode(encoding, errors="replace")
    return None


def undecodable_multipart_field(request, encoding: str) -> str | None:
    """The name of the first text field (not a file) of a multipart body that is not valid ``encoding``."""
    head = f"Content-Type: {request.META.get('CONTENT_TYPE', '')}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + request.body)
    if not message.is_multipart():
        return None  # Django refuses a malformed body itself
    for part in message.iter_parts():
        if part.get_filename() is not None:
            continue
        value = part.get_payload(decode=True) or b""
        try:
            value.decode(encoding)
        except UnicodeDecodeError:
            return part.get_param("name", header="content-disposition") or "?"
    return None


def _encoding(request) -> str:
    encoding = request.encoding or settings.DEFAULT_CHARSET
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "utf-8"


def _query_bytes(request) -> bytes:
    query = request.META.get("QUERY_STRING", "")
    try:
        return query.encode("latin-1")  # WSGI carries the raw bytes as a latin-1 string
    except UnicodeEncodeError:
        return query.encode()


def _body_is_checkable(request) -> bool:
    if request.content_type not in (FORM_CONTENT_TYPE, MULTIPART_CONTENT_TYPE):
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django refuses it itself
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or length <= limit  # an oversized body gets Django's own refusal


class RefuseUndecodableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        encoding = _encoding(request)
        field = undecodable_field(_query_bytes(request), encoding)
        where = "address"
        if field is None and request.method not in ("GET", "HEAD") and _body_is_checkable(request):
            if request.content_type == MULTIPART_CONTENT_TYPE:
                field = undecodable_multipart_field(request, encoding)
            else:
                field = undecodable_field(request.body, encoding)
            where = "form"
        if field is None:
            return self.get_response(request)
        return self.refuse(request, field, where)

    def refuse(self, request, field: str, where: str):
        if where == "form":
            message = (
                f"The field “{field}” arrived with bytes that are not valid text, so nothing was saved. "
                "The text was damaged on the way; type or paste it again and send it once more."
            )
        else:
            message = (
                f"The address has a parameter “{field}” with bytes that are not valid text. "
                "Check the link, or type the search again."
            )
        partial = bool(getattr(request, "htmx", False)) and not request.htmx.boosted
        template = "400.html#message" if partial else "400.html"
        return render(request, template, {"message": message}, status=400)
