"""Serve a kept public page before the rest of the middleware, to a reader who sends nothing of their own.

A public page kept for anonymous readers (``reader.caching``) is the same for
every reader who sends no cookie: the rest of the middleware (the session,
CSRF, authentication, messages, the language from the address, the security
headers) and the view decide nothing else for them. So the first time such a
page is served, the finished response, headers and all, is kept in the
worker's memory (``caching.near_pages``) under the request exactly as it came:
scheme, host, address and query string, and the headers that could change the
answer. A later request identical in all of these is answered with it directly,
while the page's public data generation is still the current one (one read of
the generation token from the shared cache, as for any kept page): exactly as
fresh as the page the view would have served.

Everything else goes the usual way: any cookie (a session, a CSRF token, a
message, a translation preference), a conditional request, a request with a
body or credentials, an htmx request, an address whose query string the view
rewrote (parameters it does not read), and any response that is not a kept
page served whole (a stale page in its grace, a 304, a response that sets a
cookie or varies on more than the cookie and htmx).
"""

from django.conf import settings

from reader import caching

# Request headers that change the answer, or may: each is part of the key, as sent.
_KEY_HEADERS = ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PORT")
# With any of these the request goes the usual way.
_PERSONAL_HEADERS = (
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_HX_REQUEST",
    "CONTENT_TYPE",
)
_VARY_KEPT = frozenset({"cookie", "hx-request"})


def served_key(request) -> str | None:
    """Where the finished response to this request is kept, or None if it must go the usual way."""
    meta = request.META
    if settings.DEBUG or request.method != "GET" or any(meta.get(name) for name in _PERSONAL_HEADERS):
        return None
    if meta.get("CONTENT_LENGTH") not in (None, "", "0"):
        return None
    sent = "\n".join(meta.get(name, "") for name in _KEY_HEADERS)
    return f"served:{request.scheme}\n{sent}\n{request.path}?{meta.get('QUERY_STRING', '')}"


def _keepable(response, query: str, request) -> bool:
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return (
        getattr(response, "kept_page", None) is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary <= _VARY_KEPT
        and request.META.get("QUERY_STRING", "") == query  # the view read the address as it came
    )


class KeptPageMiddleware:
    """First in MIDDLEWARE: answers a cookieless request for a kept public page with its finished response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = served_key(request)
        if key is None:
            return self.get_response(request)
        pages = caching.near_pages
        if key in pages and (served := pages.get(key, caching.public_generation())) is not None:
            return served.response()
        query = request.META.get("QUERY_STRING", "")
        response = self.get_response(request)
        if _keepable(response, query, request):
            page = response.kept_page
            caching.near_pages.put(key, caching.ServedPage(response.content, page.generation, tuple(response.items())))
        return response
