"""POSTing a delivery to its endpoint, with the rules of every server-side request.

The address must be http(s) and its host must resolve to public addresses only
(``sources.fetching.refusal_for_ip``), unless WEBHOOK_ALLOW_PRIVATE is on; the
connection goes to the checked address (``sources.fetching.pinned_client``),
within CONNECT_TIMEOUT_SECONDS to connect and TOTAL_TIMEOUT_SECONDS in all.
Redirects are not followed: a 3xx answer is a failed attempt. At most
RESPONSE_READ_BYTES of the answer are read, for the delivery log.
"""

import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from sources.fetching import FetchRefused, pinned_client, refusal_for_ip

CONNECT_TIMEOUT_SECONDS = 5.0
TOTAL_TIMEOUT_SECONDS = 15.0
RESPONSE_READ_BYTES = 2048
EXCERPT_CHARACTERS = 500
USER_AGENT = "ClaimTracker/0.1 (webhooks)"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class SendFailed(Exception):
    """No answer came back; ``str()`` says why, for the delivery log."""


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def address_refusal(url: str) -> str | None:
    """Why deliveries may not go to ``url``, in a sentence for the administrator; None if they may."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        shown = f"“{scheme}:”" if scheme else "none"
        return f"Only http:// and https:// addresses receive webhooks; this address's scheme is {shown}."
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        return "The address has a port that is not a number between 0 and 65535."
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "The address has no host name."
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"The host “{host}” could not be found."
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE
    for address in dict.fromkeys(info[4][0] for info in found):
        if reason := refusal_for_ip(address, allow_private=allow_private):
            hint = "" if allow_private else " (WEBHOOK_ALLOW_PRIVATE=on allows private ones)"
            return f"The host “{host}” leads to {address}, which {reason}: webhooks are sent to public addresses only{hint}."
    return None


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url``; the receiver's status and the start of its answer, or SendFailed."""
    if refusal := address_refusal(url):
        raise SendFailed(refusal)
    deadline = time.monotonic() + TOTAL_TIMEOUT_SECONDS
    # Identity: the answer read is bounded in bytes as they arrive, with nothing to inflate.
    defaults = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    try:
        with (
            pinned_client(
                allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
                deadline=deadline,
                headers=defaults,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
            ) as client,
            client.stream("POST", url.strip(), content=body, headers=headers) as response,
        ):
            return Answer(response.status_code, _excerpt(response))
    except FetchRefused as error:  # the host resolved to a refused address when connecting
        raise SendFailed(str(error)) from None
    except httpx.ConnectTimeout:
        raise SendFailed(
            f"The receiver did not accept a connection within {CONNECT_TIMEOUT_SECONDS:g} seconds."
        ) from None
    except httpx.TimeoutException:
        raise SendFailed(f"The receiver did not answer within {TOTAL_TIMEOUT_SECONDS:g} seconds.") from None
    except httpx.HTTPError as error:
        raise SendFailed(f"The receiver could not be reached ({error or type(error).__name__}).") from None


def _excerpt(response: httpx.Response) -> str:
    read = bytearray()
    for chunk in response.iter_raw():
        read += chunk
        if len(read) >= RESPONSE_READ_BYTES:
            break
    text = bytes(read[:RESPONSE_READ_BYTES]).decode("utf-8", errors="replace").strip()
    return text if len(text) <= EXCERPT_CHARACTERS else f"{text[: EXCERPT_CHARACTERS - 1]}…"
