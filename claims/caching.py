"""Caching of the public pages for anonymous readers, and conditional GET.

Every cached page is stored under the current *public data generation*, a
token in the cache that changes whenever something readers can see changes:
an approval, a return to draft, an edit of an approved record, of a public
actor or of a public source. Changing it orphans every cached page at once, so no
page can outlive the data it shows. The token changes only after the
transaction commits, so a page rendered from the old data is stored under the
old token and never served again.

Only requests without a session or messages cookie are served from or stored
in the cache: a logged-in user sees their own navigation and CSRF token, and a
page with a message is for one reader only. Pages rendered for the cache carry
no CSP nonce (the nonce of the request that filled the cache would be served to
everyone): the policy of such a response has no nonce either, and public pages
need none, because every script on them is a static file allowed by 'self'.

With DEBUG on nothing is cached, so an edited template shows at once.

Each cached page keeps an ETag (hash of the body) and Last-Modified (when it was
rendered); a reader who already has it gets 304 Not Modified.
"""

import hashlib
import time
import uuid
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from claims.models import ReviewState

GENERATION_KEY = "public-data-generation"
# A backstop only: invalidation is by generation. A change that bypasses
# save() (QuerySet.update) shows up at most this long after.
PAGE_TIMEOUT = 10 * 60


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    etag: str
    last_modified: float


def public_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached_for_generation(name: str, compute, timeout: int = PAGE_TIMEOUT):
    """``compute()``, computed once per public data generation: for data derived from every public record."""
    key = f"{name}:{public_generation()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def fragment_cache_context() -> dict:
    """Template context for ``{% cache fragment_timeout name ... public_generation %}``.

    A fragment is kept for the current public data generation, like a page, and
    is shared by every reader: it must hold nothing for one user (no CSRF token,
    nonce or navigation). With DEBUG on it is not kept, so an edited template shows at once.
    """
    return {"public_generation": public_generation(), "fragment_timeout": 0 if settings.DEBUG else PAGE_TIMEOUT}


def bump_public_generation() -> None:
    """Forget every cached public page: call after anything readers see has changed."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def public_data_changed() -> None:
    """Bump the generation once the current transaction commits (at once outside one)."""
    transaction.on_commit(bump_public_generation)


def _is_cacheable(request) -> bool:
    return (
        not settings.DEBUG
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _page_key(request, generation: str) -> str:
    variant = "htmx" if request.headers.get("HX-Request") else "page"
    # Pages hold absolute addresses (permanent links, og:url), so the scheme and host matter.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public-page:{generation}:{variant}:{digest}"


def _render_for_cache(view, request, args, kwargs) -> tuple[HttpResponse, CachedPage | None]:
    response = view(request, *args, **kwargs)
    storable = (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if not storable:
        return response, None
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    page = CachedPage(response.content, response["Content-Type"], etag, time.time())
    return response, page


def cached_public_page(view):
    """Serve ``view`` from the cache to anonymous readers, with ETag and Last-Modified."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ("Cookie",))
            return response
        request._csp_nonce = None  # see the module docstring
        key = _page_key(request, public_generation())
        page = cache.get(key)
        if page is None:
            response, page = _render_for_cache(view, request, args, kwargs)
            if page is None:
                return response
            cache.set(key, page, PAGE_TIMEOUT)
        else:
            response = HttpResponse(page.content, content_type=page.content_type)
        response["ETag"] = page.etag
        response["Last-Modified"] = http_date(page.last_modified)
        patch_cache_control(response, no_cache=True, public=True)
        patch_vary_headers(response, ("Cookie", "HX-Request"))
        return get_conditional_response(
            request, etag=page.etag, last_modified=int(page.last_modified), response=response
        )

    return wrapper


def _reviewable_changed(sender, instance, update_fields=None, **kwargs):
    # Readers see approved records only. A record is approved now (approved or
    # edited while approved), or it just went back to draft, perhaps from
    # approved. Submitting and rejecting move between states readers never see.
    went_to_draft = bool(update_fields) and "state" in update_fields and instance.state == ReviewState.DRAFT
    if instance.state == ReviewState.APPROVED or went_to_draft:
        public_data_changed()


def _actor_or_source_changed(sender, instance, created=False, **kwargs):
    # A new actor or source has no approved claims yet, so no reader can see it;
    # a deleted one never had any (claims protect what they point to).
    if not created and type(instance).objects.public().filter(pk=instance.pk).exists():
        public_data_changed()


def connect_invalidation() -> None:
    """Bump the public generation whenever a public record changes (called from ClaimsConfig.ready)."""
    from claims.models import Actor, Claim, Proposition, Stance
    from sources.models import Source

    for model in (Claim, Proposition, Stance):
        post_save.connect(_reviewable_changed, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(_reviewable_changed, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
    for model in (Actor, Source):
        post_save.connect(_actor_or_source_changed, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
