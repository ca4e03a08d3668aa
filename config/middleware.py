"""Refuse requests whose form fields or address parameters are not valid text; read ids from them.

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

A request whose Content-Type declares a charset that is a codec but not a text
encoding (``charset=base64``, ``zlib``, ``rot13``, ``punycode``…) is refused
with a 400 too: Django would decode the address and the form with it and fail.

``parse_id`` is how views read a record id from a parameter: anything but a
plain number the database can hold names no record.
"""

import codecs
from email import policy
from email.parser import BytesParser
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext

from sources.text import text_codec

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MULTIPART_CONTENT_TYPE = "multipart/form-data"
# The largest primary key the database holds (a signed 64-bit integer column).
MAX_ID = 2**63 - 1
_ASCII_DIGITS = frozenset("0123456789")
# Where charset_checked leaves a refused Content-Type charset for the middleware (a WSGI extension key).
REFUSED_CHARSET = "claim_tracker.refused_charset"


def parse_id(text: str | None) -> int | None:
    """The record id that an address or form parameter names, or None when it names none.

    Only ASCII digits count, up to ``MAX_ID``: ``str.isdigit()`` accepts “²”
    and “١٢” and ``int()`` accepts “ 1_2 ”, while a number too large for the
    id column fails in the database (OverflowError on SQLite, DataError on
    PostgreSQL) instead of simply matching nothing.
    """
    if not isinstance(text, str) or not text or len(text) > len(str(MAX_ID)) or not _ASCII_DIGITS.issuperset(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


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
            except UnicodeError:
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
        except UnicodeError:
            return part.get_param("name", header="content-disposition") or "?"
    return None


def _encoding(request) -> str:
    return text_codec(request.encoding or settings.DEFAULT_CHARSET) or "utf-8"


def charset_checked(application):
    """Wrap a WSGI application so that a Content-Type charset that is no text encoding reaches Django as a mark.

    Django's request object decodes the query string with the declared charset
    while it is being built, before any middleware runs, so ``?q=x`` with
    ``charset=base64`` would fail there. The charset is taken out of the
    Content-Type and kept under ``REFUSED_CHARSET`` for the middleware below,
    which answers with its 400.
    """

    def checked(environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "")
        if "charset" in content_type.lower():
            try:
                media_type, params = parse_header_parameters(content_type)
            except ValueError:
                media_type, params = content_type, {}
            label = params.get("charset")
            if label and _is_codec_but_not_text(label):
                environ = {**environ, "CONTENT_TYPE": media_type, REFUSED_CHARSET: label}
        return application(environ, start_response)

    return checked


def _is_codec_but_not_text(label: str) -> bool:
    try:
        codecs.lookup(label)
    except (LookupError, TypeError, ValueError):
        return False
    return text_codec(label) is None


def refused_charset(request) -> str | None:
    """The declared charset if it is a codec but no text encoding (base64, zlib, rot13…), else None.

    Django decodes the query string and the form with any codec Python knows,
    and these fail with errors other than UnicodeDecodeError. An unknown label
    is ignored by Django (it reads UTF-8), so it is not refused here either.
    """
    if label := request.META.get(REFUSED_CHARSET):
        return label
    label = getattr(request, "content_params", {}).get("charset")
    return label if label and _is_codec_but_not_text(label) else None


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
        if label := refused_charset(request):
            # The refusal page reads the request as UTF-8. The encoding setter resets request.GET
            # by reading it first, which would decode with the refused codec, so that goes first.
            request.GET = QueryDict()
            request.encoding = settings.DEFAULT_CHARSET
            return self.refuse(request, label, "charset")
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
        if where == "charset":
            message = gettext(
                "The request says its text is in “%(field)s”, which is not a character set, so nothing was read "
                "or saved. Send it as UTF-8."
            ) % {"field": field}
        elif where == "form":
            message = gettext(
                "The field “%(field)s” arrived with bytes that are not valid text, so nothing was saved. "
                "The text was damaged on the way; type or paste it again and send it once more."
            ) % {"field": field}
        else:
            message = gettext(
                "The address has a parameter “%(field)s” with bytes that are not valid text. "
                "Check the link, or type the search again."
            ) % {"field": field}
        partial = bool(getattr(request, "htmx", False)) and not request.htmx.boosted
        template = "400.html#message" if partial else "400.html"
        response = render(request, template, {"message": message}, status=400)
        response.refusal_message = message  # the API answers with it as problem details (api.middleware)
        return response


class LanguageFromPathMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, with the language read from the address alone.

    With ``i18n_patterns(prefix_default_language=False)`` an address without a
    language prefix is English whatever the Accept-Language header or a cookie
    says (Django's own rule), and /ur/, /fa/, /ps/ name theirs. So no response
    depends on Accept-Language, and none says ``Vary: Accept-Language``, which
    Django adds to every unprefixed response: shared caches keep one copy of an
    English page instead of one per browser language. Django's redirect of a
    404 to the prefixed address applies only when the default language is
    prefixed, which it is not here.
    """

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
