"""Rate limits of the API, counted per window in the shared cache.

A request without an Authorization header counts against its client address
(API_RATE_LIMIT_ANONYMOUS a window); a request with one counts against that
token (API_RATE_LIMIT_TOKEN), keyed by a digest of the header, so the limit is
decided before the database is asked whether the token exists. A failed
authentication also counts against its address (API_RATE_LIMIT_FAILED_AUTH): an
address over that limit is refused whatever token it sends, so guessing tokens
from one address stops early while an analyst's script behind the same address
is not slowed by readers there.

The address is the one the login throttle reads (``accounts.throttling.client_address``:
REMOTE_ADDR, or the proxy's X-Forwarded-For entry when trusted; IPv6 by /64).
Counters are fixed windows of API_RATE_WINDOW_SECONDS in the default cache,
shared by every worker when it is Redis or the file cache. ``cache.incr`` is
atomic on Redis and in local memory; with the file cache two workers counting
the same request at once may count it once, so the limit is approximate there.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from accounts.throttling import client_address


def _window() -> tuple[int, float]:
    """The current window's start (a whole number of windows since the epoch) and the time now."""
    now = time.time()
    length = settings.API_RATE_WINDOW_SECONDS
    return int(now // length) * length, now


def _wait(start: int, now: float) -> int:
    return max(1, math.ceil(start + settings.API_RATE_WINDOW_SECONDS - now))


def _key(bucket: str, start: int) -> str:
    return f"api-rate:{bucket}:{start}"


def count(bucket: str, limit: int) -> int | None:
    """Count one request in ``bucket``; the seconds to wait if that goes over ``limit``, else None."""
    start, now = _window()
    key = _key(bucket, start)
    cache.add(key, 0, timeout=settings.API_RATE_WINDOW_SECONDS + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # the counter expired or was evicted between add and incr
        cache.set(key, 1, timeout=settings.API_RATE_WINDOW_SECONDS + 5)
        used = 1
    return _wait(start, now) if used > limit else None


def exhausted(bucket: str, limit: int) -> int | None:
    """The seconds to wait if ``bucket`` is already at ``limit`` this window, else None (counts nothing)."""
    start, now = _window()
    return _wait(start, now) if (cache.get(_key(bucket, start)) or 0) >= limit else None


def credentials_bucket(request) -> str | None:
    """The bucket of the credentials a request sends (a digest of its Authorization header), or None."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    return "token:" + hashlib.sha256(header.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def refuse_before(request) -> int | None:
    """Count the request in its bucket; the seconds it must wait if it may not be served now, else None."""
    address = client_address(request)
    bucket = credentials_bucket(request)
    if bucket is None:
        return count(f"address:{address}", settings.API_RATE_LIMIT_ANONYMOUS)
    return exhausted(f"failed-auth:{address}", settings.API_RATE_LIMIT_FAILED_AUTH) or count(
        bucket, settings.API_RATE_LIMIT_TOKEN
    )


def count_failed_authentication(request) -> None:
    count(f"failed-auth:{client_address(request)}", settings.API_RATE_LIMIT_FAILED_AUTH)
