"""Fetching a web page from an address a user typed, safely.

The server fetches addresses analysts type, so an address is a request to
connect somewhere on the server's behalf. Only http and https are fetched, and
only from public addresses: the host is resolved here, every address it
resolves to is checked, and the connection is made to the checked address (so
a name that resolves differently a moment later cannot slip through). This is
done for the first address and for every redirect. Time and size are bounded
while the body streams in, so a slow or endless server cannot hold a worker.

``SOURCE_FETCH_ALLOW_PRIVATE`` lets loopback and private addresses through, for
tests that serve pages from 127.0.0.1. ``SOURCE_FETCH_MAX_BYTES`` caps the body.
"""

import codecs
import functools
import hashlib
import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import charset_normalizer
import httpcore
import httpx
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext, gettext_lazy

from sources.text import text_codec

CONNECT_TIMEOUT_SECONDS = 5.0
# Everything from the first connection to the last byte of the body, redirects included.
TOTAL_TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
ACCEPTED_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"}
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "ClaimTracker/0.1 (source capture)"
# How far into a page a <meta> charset declaration is looked for, as browsers do.
META_CHARSET_WINDOW = 4096

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels for which browsers decode windows-1252: it agrees with them on every byte they define.
_WINDOWS_1252_ALIASES = frozenset({"ascii", "latin-1", "iso8859-1"})
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# Query parameters that say how a reader arrived, not which page they read.
_TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
        "mc_cid", "mc_eid", "igshid", "igsh", "si", "_ga", "_gl", "mkt_tok", "_hsenc", "_hsmi",
        "__hstc", "__hssc", "__hsfp", "hsctatracking", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv",
        "ref_src", "ref_url", "cmpid", "ncid", "sr_share", "s_cid", "wt.mc_id",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchRefused(Exception):
    """A page that was not fetched; ``str()`` is a message to show the person who asked for it."""


class AddressRefused(FetchRefused):
    """The address is not http(s), is malformed, or leads to a non-public network address."""


class TooManyRedirects(FetchRefused):
    pass


class FetchTimedOut(FetchRefused):
    pass


class BodyTooLarge(FetchRefused):
    pass


class ContentTypeRefused(FetchRefused):
    pass


class ErrorStatus(FetchRefused):
    """The server answered with an error; ``status`` is its HTTP status code."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class Unreachable(FetchRefused):
    """The host could not be found or connected to."""


@dataclass(frozen=True)
class Redirect:
    """One redirect on the way to a page: ``address`` answered ``status`` and sent us to ``location``."""

    address: str
    status: int
    location: str


@dataclass(frozen=True)
class Fetched:
    """A fetched page, as received.

    ``headers`` are the final response's headers in the order received, names
    in their original case. ``body`` is the content as sent, after any content
    coding (gzip) is undone; identity is asked for, so it usually is the bytes
    on the wire. ``sha256`` is the hex digest of ``body``. ``declared_charset``
    is the charset the Content-Type header names, if any; ``encoding`` is the
    codec ``text`` was actually decoded with.
    """

    requested_address: str
    final_address: str
    redirects: tuple[Redirect, ...]
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    sha256: str
    retrieved_at: datetime
    content_type: str
    declared_charset: str | None
    encoding: str
    text: str


def fetch(url: str) -> Fetched:
    """Fetch the page at ``url``, following up to ``MAX_REDIRECTS`` redirects.

    Raises a ``FetchRefused`` subclass, whose message can be shown as is, when
    the address or any redirect is not a public http(s) address, on too many
    redirects, on timeout, when the body is larger than
    ``SOURCE_FETCH_MAX_BYTES``, when the page is not HTML, XHTML, plain text or
    Markdown, on an HTTP error status, and when the host cannot be reached.
    """
    requested = url.strip()
    allow_private = settings.SOURCE_FETCH_ALLOW_PRIVATE
    max_bytes = settings.SOURCE_FETCH_MAX_BYTES
    deadline = time.monotonic() + TOTAL_TIMEOUT_SECONDS
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9",
        "Accept-Encoding": "identity",
    }
    with pinned_client(allow_private=allow_private, deadline=deadline, headers=headers) as client:
        try:
            return _fetch_following_redirects(client, requested, allow_private, max_bytes, deadline)
        except httpx.ConnectTimeout:
            raise FetchTimedOut(
                gettext("The server did not answer within %(seconds)s seconds, so the page was not fetched.")
                % {"seconds": f"{CONNECT_TIMEOUT_SECONDS:g}"}
            ) from None
        except httpx.TimeoutException:
            raise FetchTimedOut(
                gettext("The page did not arrive within %(seconds)s seconds, so it was not fetched.")
                % {"seconds": f"{TOTAL_TIMEOUT_SECONDS:g}"}
            ) from None
        except httpx.TransportError as error:
            raise Unreachable(
                gettext("The server at this address could not be reached (%(error)s).") % {"error": _describe(error)}
            ) from None


def pinned_client(
    *, allow_private: bool, deadline: float, headers: dict[str, str], connect_timeout: float = CONNECT_TIMEOUT_SECONDS
) -> httpx.Client:
    """An httpx client for server-side requests to addresses someone typed (pages to import, webhooks).

    It connects only to addresses ``refusal_for_ip`` lets through (resolved and
    checked here, then connected to as checked), within ``connect_timeout`` per
    connection, and every read and write ends by ``deadline`` (a
    ``time.monotonic()`` value). It follows no redirects and ignores proxies
    from the environment. Callers check each address before requesting it
    (``refusal_for_ip`` on what its host resolves to), so a refusal names the
    address rather than failing a connection.
    """
    transport = _PinnedTransport(_PinnedBackend(allow_private=allow_private, deadline=deadline))
    total = max(deadline - time.monotonic(), 0.0)
    timeout = httpx.Timeout(total, connect=connect_timeout, pool=connect_timeout)
    # trust_env off: a proxy from the environment would connect in our place, past the address check.
    return httpx.Client(transport=transport, timeout=timeout, headers=headers, trust_env=False)


def normalize_address(url: str) -> str:
    """The form of an http(s) address used to recognise the same page twice.

    Scheme and host in lower case, no default port, no fragment, no tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``…); the path and the other
    parameters are kept exactly, in their order. An empty path becomes ``/``.
    Raises ``AddressRefused`` for anything that is not an http(s) address.
    """
    parts, host = _parse_web_address(url.strip())
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != _DEFAULT_PORTS[parts.scheme.lower()]:
        netloc = f"{netloc}:{parts.port}"
    if parts.username is not None:
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    kept = [item for item in parts.query.split("&") if item and not _is_tracking_parameter(item)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", "&".join(kept), ""))


def refusal_for_ip(address: str, *, allow_private: bool = False) -> str | None:
    """Why the server may not connect to ``address`` (an IP address as text), or None if it may.

    Only globally reachable unicast addresses pass. IPv4 addresses carried
    inside IPv6 (mapped, 6to4, NAT64) are judged as the IPv4 address they
    carry. ``allow_private`` lets every unicast address through.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "is not a valid network address"
    ip = _embedded_ipv4(ip) or ip
    if ip.is_multicast:
        return "is a multicast address"
    if allow_private:
        return None
    if ip.is_unspecified:
        return "is an unspecified address"
    if ip.is_loopback:
        return "is this server itself (loopback)"
    if ip.is_link_local:
        return "is a link-local address"
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return "is on a private or reserved network"
    return None


def decode_page(body: bytes, declared_charset: str | None) -> tuple[str, str]:
    """Decode a page's ``body`` as text; returns ``(text, codec name)``.

    A byte-order mark wins. Then the charset declared in the Content-Type
    header, then one declared in a ``<meta>`` tag near the top, each only if it
    is a text encoding and decodes the body without error; a body that is
    valid UTF-8 with non-ASCII characters is read as UTF-8 even when a
    single-byte charset is declared, since servers often send a stale default.
    Without a usable declaration the encoding is detected.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding
    meta = _META_CHARSET.search(body[:META_CHARSET_WINDOW])
    declared = [declared_charset, meta.group(1).decode("ascii") if meta else None]
    candidates = list(dict.fromkeys(codec for label in declared if label and (codec := _page_codec(label))))
    for encoding in candidates:
        if not encoding.startswith("utf") and _is_utf8_beyond_ascii(body):
            return body.decode("utf-8"), "utf-8"
        try:
            return body.decode(encoding), encoding
        except UnicodeError:
            continue
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(body).best()
    encoding = (guess and _page_codec(guess.encoding)) or (candidates[0] if candidates else "cp1252")
    return body.decode(encoding, errors="replace"), encoding


def _fetch_following_redirects(client, requested, allow_private, max_bytes, deadline) -> Fetched:
    address = requested
    redirects: list[Redirect] = []
    while True:
        _check_address(address, allow_private)
        with client.stream("GET", address) as response:
            retrieved_at = timezone.now()
            if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                location = str(response.url.join(response.headers["location"]))
                redirects.append(Redirect(address=address, status=response.status_code, location=location))
                if len(redirects) > MAX_REDIRECTS:
                    raise TooManyRedirects(
                        gettext("The address redirected more than %(count)s times, so the page was not fetched.")
                        % {"count": MAX_REDIRECTS}
                    )
                address = location
                continue
            if response.status_code >= 300:
                raise ErrorStatus(
                    gettext("The server answered %(status)s, so there is no page to import.")
                    % {"status": f"{response.status_code} {response.reason_phrase}".rstrip()},
                    status=response.status_code,
                )
            content_type, declared_charset = _accepted_content_type(response.headers.get("content-type", ""))
            body = _read_body(response, max_bytes, deadline)
            text, encoding = decode_page(body, declared_charset)
            return Fetched(
                requested_address=requested,
                final_address=address,
                redirects=tuple(redirects),
                status=response.status_code,
                reason=response.reason_phrase,
                http_version=response.http_version,
                headers=tuple(
                    (name.decode("latin-1"), value.decode("latin-1")) for name, value in response.headers.raw
                ),
                body=body,
                sha256=hashlib.sha256(body).hexdigest(),
                retrieved_at=retrieved_at,
                content_type=content_type,
                declared_charset=declared_charset,
                encoding=encoding,
                text=text,
            )


def _check_address(address: str, allow_private: bool) -> None:
    parts, host = _parse_web_address(address)
    port = parts.port or _DEFAULT_PORTS[parts.scheme.lower()]
    _check_resolved(host, _resolve(host, port), allow_private)


def _parse_web_address(address: str):
    parts = urlsplit(address)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        if not scheme:
            raise AddressRefused(gettext("Only http:// and https:// addresses can be fetched; this one has no scheme."))
        raise AddressRefused(
            gettext("Only http:// and https:// addresses can be fetched; this one has “%(scheme)s:”.")
            % {"scheme": scheme}
        )
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise AddressRefused(gettext("The address has a port that is not a number between 0 and 65535.")) from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise AddressRefused(gettext("The address has no host name."))
    return parts, host


def _resolve(host: str, port: int) -> list[str]:
    """Every IP address ``host`` resolves to, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Unreachable(gettext("The host “%(host)s” could not be found.") % {"host": host}) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _check_resolved(host: str, addresses: list[str], allow_private: bool) -> None:
    if not addresses:
        raise Unreachable(gettext("The host “%(host)s” could not be found.") % {"host": host})
    for address in addresses:
        reason = refusal_for_ip(address, allow_private=allow_private)
        if reason:
            refused = _ADDRESS_REFUSALS.get(reason) or gettext(
                "The host “%(host)s” leads to a network address that %(reason)s; "
                "the server only fetches pages from public addresses."
            )
            raise AddressRefused(refused % {"host": host, "reason": reason})


# Why a page's host is refused, one whole sentence for each reason refusal_for_ip gives (which
# webhooks also show, in English).
_ADDRESS_REFUSALS = {
    "is not a valid network address": gettext_lazy(
        "The host “%(host)s” leads to a network address that is not a valid network address; the server only fetches pages from public addresses."
    ),
    "is a multicast address": gettext_lazy(
        "The host “%(host)s” leads to a network address that is a multicast address; the server only fetches pages from public addresses."
    ),
    "is an unspecified address": gettext_lazy(
        "The host “%(host)s” leads to a network address that is an unspecified address; the server only fetches pages from public addresses."
    ),
    "is this server itself (loopback)": gettext_lazy(
        "The host “%(host)s” leads to a network address that is this server itself (loopback); the server only fetches pages from public addresses."
    ),
    "is a link-local address": gettext_lazy(
        "The host “%(host)s” leads to a network address that is a link-local address; the server only fetches pages from public addresses."
    ),
    "is on a private or reserved network": gettext_lazy(
        "The host “%(host)s” leads to a network address that is on a private or reserved network; the server only fetches pages from public addresses."
    ),
}


def _embedded_ipv4(ip) -> ipaddress.IPv4Address | None:
    if ip.version != 6:
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _accepted_content_type(header: str) -> tuple[str, str | None]:
    media_type, parameters = parse_header_parameters(header) if header else ("", {})
    media_type = media_type.lower()
    if media_type not in ACCEPTED_CONTENT_TYPES:
        if not media_type:
            raise ContentTypeRefused(
                gettext(
                    "The address serves no content type; only HTML, XHTML, plain text and Markdown pages can be imported."
                )
            )
        raise ContentTypeRefused(
            gettext("The address serves “%(type)s”; only HTML, XHTML, plain text and Markdown pages can be imported.")
            % {"type": media_type}
        )
    return media_type, parameters.get("charset") or None


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    too_large = BodyTooLarge(
        gettext("The page is larger than %(size)s, the most that can be imported, so it was not kept.")
        % {"size": filesizeformat(max_bytes)}
    )
    declared_length = response.headers.get("content-length", "")
    if declared_length.isdigit() and int(declared_length) > max_bytes:
        raise too_large
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise too_large
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("total time exceeded")
    return bytes(body)


def _page_codec(label: str) -> str | None:
    codec = text_codec(label.strip())
    return "cp1252" if codec in _WINDOWS_1252_ALIASES else codec


def _is_utf8_beyond_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_tracking_parameter(item: str) -> bool:
    name = unquote_plus(item.partition("=")[0]).lower()
    return name in _TRACKING_PARAMETERS or name.startswith(_TRACKING_PREFIXES)


def _describe(error: Exception) -> str:
    return str(error) or type(error).__name__


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self._stream = stream
        self._deadline = deadline

    def _time_left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("total time exceeded")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None):
        # server_hostname is the name from the address, so SNI and certificate checks use the name, not the IP.
        stream = self._stream.start_tls(ssl_context, server_hostname, self._time_left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Resolves each host itself, checks every address, and connects only to a checked one."""

    def __init__(self, *, allow_private: bool, deadline: float):
        self._allow_private = allow_private
        self._deadline = deadline
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = _resolve(host, port)
        _check_resolved(host, addresses, self._allow_private)
        failure: Exception | None = None
        for address in addresses:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("total time exceeded")
            try:
                stream = self._sockets.connect_tcp(
                    address, port, min(timeout or left, left), local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("Unix sockets are never fetched from.")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over ``_PinnedBackend``: TLS still verifies the certificate against the host name."""

    def __init__(self, backend: _PinnedBackend):
        ssl_context = _verifying_ssl_context()
        super().__init__(verify=ssl_context, trust_env=False)
        # HTTPTransport takes no network backend, so its connection pool is rebuilt with ours.
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend)


@functools.cache
def _verifying_ssl_context():
    """Certificates checked against the host name, from certifi's bundle; loaded once, it is slow."""
    return httpx.create_ssl_context(trust_env=False)
