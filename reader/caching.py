"""Caching of the public pages for anonymous readers, and conditional GET.

Every cached page is stored with the *public data generation* it was rendered
under: a token in the cache that changes whenever something readers can see
changes (an approval, a return to draft, an edit of an approved record, of a
public actor or of a public source). A page is fresh while the token is the one
it was rendered under. The token changes only after the transaction commits,
so a page rendered from the old data carries the old token.

Bursts of approvals (grace). A second token, the *withdrawal token*, changes
only when something readers already see is removed or changed: an approved
record returned to draft, deleted or edited, a public actor or source edited.
New approvals only add to what readers see. When a page is stale, one request
takes a short lock (``cache.add``) and renders it; meanwhile, concurrent
requests for the same address get the latest stored rendering, provided it was
rendered at most GRACE_SECONDS ago and no withdrawal happened since (the
withdrawal token is read when rendering starts and stored with the page). So a
reader may miss approvals of the last few seconds, never sees a withdrawn or
edited record, and a burst of approvals renders each page once at a time
instead of once per waiting reader. A request that finds no lock held always
renders. With the file cache, ``add`` is not atomic across processes, so two
workers may now and then render the same page at once: that costs a render,
never a wrong page.

Finer invalidation (scopes). The pages of one proposition, actor or source
rebuild their main part from fragments kept under a *scope token* of that
record together with the withdrawal token (``scope_token``). An approval changes
the scope tokens of the pages it adds to: its proposition's, the claim's
claimant, reporter and source, every actor with a public stance on the
proposition (their lists of opponents), and the affiliations of all of those
(their lists of members). So an approval elsewhere leaves those fragments
valid, while the parts of such a page that show every public record (related
contradictions) and the page itself follow the public data generation as above.
A withdrawal changes the withdrawal token and so every scope at once. Scope
tokens change before the generation does, so a page rendered for the new
generation never reuses a fragment of the old scope.

The filters' suggestions, read from every claim, are kept between withdrawals
for at most GRACE_SECONDS while approvals come in (``cached_between_withdrawals``).

Pages are stored as anonymous readers get them. A logged-in reader gets the
same page with their own account links (desk, review, log out with its CSRF
token) in its *account slot*: the template marks where the slot starts and ends
with a random mark drawn for each rendering for the cache, and the marks are
removed right after it, leaving only their offsets, kept with the page; the
reader's links (``base.html#account``) are rendered for each request and put
between those offsets. Nothing is searched in a stored page, so no text a user
wrote can move the slot. A page with a message is for one reader only and is
rendered for them. A request without a session cookie is anonymous without
looking further (no query). One with a session cookie is anonymous if the
cookie names no session, or one that holds nothing (expired, forged, or a
random value meant to get past the cache): the session is looked up (from the
cache, or one indexed query) only then.

Each page is kept per address *as the view reads it*: a cached view declares
the query parameters it reads (``reads=``), and every other parameter is
dropped from the request before the view sees it. So ``?utm_source=…`` and
other parameters nobody reads map to the same entry as the bare address,
instead of filling the cache with copies, and the page's own links (og:url,
pagination) carry only the parameters that mean something. Documents that hold nothing for one
reader (the feed, the JSON data) are shared by everyone. Pages rendered for the
cache carry no CSP nonce (the nonce of the request that filled the cache would
be served to everyone): the policy of such a response has no nonce either, and
public pages need none, because every script on them is a static file allowed
by 'self'.

When a page must be rendered, the part of it that is the same for everyone
comes from fragments kept per generation or scope (``fragment_key``, built by
the views and rendered by the ``{% fragment %}`` tag), so a new generation
renders little more than what changed.

The analysts' desk keeps fragments too, under a *desk generation*: a token
that changes with every save or deletion of a claim, stance, proposition,
revision, actor or source, whatever its state (see ``desk_fragment_key``).

Languages. Every page, fragment and value kept here is kept per language (the
language of the request, from its address: /ur/, /fa/, /ps/ or none for
English), so a page in one language never serves a fragment rendered in
another, and each language's rendering of a page has an ETag of its own. An
address without a prefix is always English (config.middleware), so no page
depends on the Accept-Language header and none varies on it.

With DEBUG on nothing is cached, so an edited template shows at once.

Each cached page keeps an ETag (hash of the body) and Last-Modified (when it was
rendered); a reader who already has it gets 304 Not Modified.

Each worker process also keeps the pages it served last in memory (``NearCache``,
bounded in bytes). A page kept there is served only while its generation is the
current one, which is read from the shared cache on every request, so it is
exactly as fresh as the shared copy; it saves reading and unpickling the page
(up to a few hundred KB) from the shared cache on every hit. A reader who sends
no cookie is answered there before the rest of the middleware runs, with the
response the first such request got (``reader.middleware``).
"""

import hashlib
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from claims.models import ReviewState
from config.middleware import parse_id
from reader.translations import preference as translation_preference

GENERATION_KEY = "public-data-generation"
WITHDRAWAL_KEY = "public-data-withdrawal"
DESK_GENERATION_KEY = "desk-data-generation"
# Every desk fragment's key starts with this (``fragment_key`` of a name starting "desk-").
DESK_FRAGMENT_PREFIX = "fragment:desk-"
# A backstop only: invalidation is by generation. A change that bypasses
# save() (QuerySet.update) shows up at most this long after.
PAGE_TIMEOUT = 10 * 60
# The oldest rendering served while another request renders the page afresh:
# readers may miss approvals of the last GRACE_SECONDS, never a withdrawal.
GRACE_SECONDS = 5
# How long a render lock lasts if its holder dies without releasing it.
RENDER_LOCK_SECONDS = 30


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    etag: str
    rendered_at: float  # when rendering started: the page shows data at least this recent
    generation: str  # the public data generation it was rendered under
    withdrawal: str  # the withdrawal token when rendering started
    # Where the account slot (the "Log in" item of the navigation) lies in ``content``, as offsets of
    # bytes: a logged-in reader gets the page with their own account links there. None: no slot.
    account: tuple[int, int] | None = None

    @property
    def age(self) -> float:
        return time.time() - self.rendered_at


@dataclass(frozen=True)
class ServedPage:
    """A finished response, headers and all, kept in ``near_pages`` for the generation it shows."""

    content: bytes
    generation: str
    headers: tuple[tuple[str, str], ...]

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, headers=self.headers)


class NearCache:
    """A per-process, thread-safe LRU of cached pages, bounded by the total size of their bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, generation: str) -> CachedPage | ServedPage | None:
        """The page kept for ``key`` if it was rendered under ``generation``."""
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.generation != generation:
                return None
            self._pages.move_to_end(key)
            return page

    def __contains__(self, key: str) -> bool:
        return key in self._pages

    def put(self, key: str, page: CachedPage | ServedPage) -> None:
        size = len(page.content)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._pages[key] = page
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


near_pages = NearCache(max_bytes=settings.PUBLIC_PAGE_MEMORY_BYTES)


def _token(key: str) -> str:
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    return token


def public_generation() -> str:
    """The current public data generation: changes with anything readers can see."""
    return _token(GENERATION_KEY)


def withdrawal_token() -> str:
    """Changes only when something readers already see is removed or changed (never on a new approval)."""
    return _token(WITHDRAWAL_KEY)


def _kept(key: str, compute, timeout: int):
    """``compute()``, kept under ``key`` for ``timeout`` seconds (a key that names its generation or scope).

    A timeout of 0 keeps nothing. Values are kept per language: fragments hold translated text, and
    addresses (/ur/…) differ by language.
    """
    key = f"{get_language()}:{key}"
    value = cache.get(key) if timeout else None
    if value is None:
        value = compute()
        if timeout:
            cache.set(key, value, timeout)
    return value


def cached_for_generation(name: str, compute, timeout: int = PAGE_TIMEOUT):
    """``compute()``, computed once per public data generation: for data derived from every public record."""
    return _kept(f"{name}:{public_generation()}", compute, timeout)


def cached_between_withdrawals(name: str, compute, max_age: float = GRACE_SECONDS):
    """``compute()``, kept until something is withdrawn, or for at most ``max_age`` seconds while records are only added.

    For suggestions derived from every public record that are costly to read
    (the filters' years, actors and sources): in a burst of approvals they are
    read again every ``max_age`` seconds rather than after each approval. They
    never outlive a withdrawal, so nothing withdrawn is ever suggested.
    """
    key, generation = f"{name}:{withdrawal_token()}", public_generation()
    kept = cache.get(key)
    if kept is not None:
        computed_at, computed_under, value = kept
        if computed_under == generation or time.time() - computed_at <= max_age:
            return value
    value = compute()
    cache.set(key, (time.time(), generation, value), PAGE_TIMEOUT)
    return value


def fragment_timeout() -> int:
    """How long a template fragment is kept: not at all with DEBUG on, so an edited template shows at once."""
    return 0 if settings.DEBUG else PAGE_TIMEOUT


def fragment_key(name: str, *parts) -> str:
    """Where a template fragment is kept: the one place fragment keys are made.

    ``parts`` are everything the fragment's markup depends on, the token it is
    valid for among them: the public data generation, a scope token or the desk
    generation. Views build the keys and pass them to the ``{% fragment %}`` tag
    (reader/templatetags/fragments.py), so templates never name what a fragment
    depends on. A fragment shared by readers must hold nothing for one user (no
    CSRF token, nonce or navigation), and must close every element it opens.
    """
    digest = hashlib.sha256(":".join(str(part) for part in parts).encode()).hexdigest()
    return f"fragment:{name}:{digest}"


def kept_fragment(key: str, render) -> str:
    """``render()``, kept under ``key`` (see ``fragment_key``)."""
    desk_off = key.startswith(DESK_FRAGMENT_PREFIX) and not settings.DESK_FRAGMENTS
    return _kept(key, render, 0 if desk_off else fragment_timeout())


def bump_public_generation(*, withdrawal: bool = True) -> None:
    """Forget every cached public page: call after anything readers see has changed.

    ``withdrawal=False`` is for changes that only add (an approval): pages
    rendered before it may still be served for GRACE_SECONDS while they are
    rendered again. By default a change counts as a withdrawal, which no stale
    page survives. The withdrawal token is changed first: a request that sees
    the new generation must not find the old withdrawal token.
    """
    if withdrawal:
        cache.set(WITHDRAWAL_KEY, uuid.uuid4().hex, timeout=None)
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def public_data_changed(*, withdrawal: bool = True) -> None:
    """Bump the generation once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: bump_public_generation(withdrawal=withdrawal))


def scope_token(kind: str, pk: int) -> str:
    """For fragments of the page of one proposition, actor or source: see "Finer invalidation" above.

    ``kind`` is "proposition", "actor" or "source".
    """
    return f"{withdrawal_token()}:{_token(f'public-scope:{kind}:{pk}')}"


def cached_for_scope(name: str, kind: str, pk: int, compute):
    """``compute()``, kept for the scope of one proposition, actor or source (see ``scope_token``)."""
    return _kept(f"{name}:{scope_token(kind, pk)}", compute, PAGE_TIMEOUT)


def _bump_scopes(scopes: set[tuple[str, int]]) -> None:
    cache.set_many({f"public-scope:{kind}:{pk}": uuid.uuid4().hex for kind, pk in scopes}, timeout=None)


def public_pages_changed(scopes: set[tuple[str, int]]) -> None:
    """Forget the cached pages, and the fragments of these scopes, once the current transaction commits.

    For what readers see that is not a reviewed record (a re-check's notices on
    a source's page and on the contradictions quoting it): nothing is withdrawn,
    so the fragments of other pages stay valid.
    """

    def bump() -> None:
        _bump_scopes(scopes)
        bump_public_generation(withdrawal=False)

    transaction.on_commit(bump)


def desk_generation() -> str:
    """Changes whenever any record the desk shows is saved or deleted, in any state."""
    return _token(DESK_GENERATION_KEY)


def desk_fragment_key(name: str, *parts) -> str:
    """A cache key for a desk fragment that holds for the current desk generation only."""
    return fragment_key(f"desk-{name}", desk_generation(), *parts)


def cached_for_desk(name: str, *parts, compute):
    """``compute()``, kept under ``desk_fragment_key(name, *parts)`` until the desk generation changes.

    With ``DESK_FRAGMENTS`` off nothing is kept (see ``kept_fragment``).
    """
    return kept_fragment(desk_fragment_key(name, *parts), compute)


def _bump_desk_generation() -> None:
    cache.set(DESK_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def desk_data_changed(raw=False, **kwargs) -> None:
    """Forget the desk's fragments: at once, so the rest of this request sees the change, and again on commit.

    The second change is what makes it safe: a fragment rendered by another
    request from the data as it was before the commit is left behind.
    """
    if raw or _bulk.active:
        return
    _bump_desk_generation()
    transaction.on_commit(_bump_desk_generation)


def _is_anonymous(request) -> bool:
    """Whether the page for this request is the one every anonymous reader gets (see the module docstring)."""
    if "messages" in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated and request.session.is_empty()


def _is_cacheable(request, *, shared: bool = False) -> bool:
    return not settings.DEBUG and request.method in ("GET", "HEAD") and (shared or _is_anonymous(request))


# Largest page number a list is asked for: beyond it a list says so rather than keeping a page per number.
MAX_PAGE_NUMBER = 10_000


def page_number(value: str) -> str | None:
    """A page number as the lists read it, or None (dropped) for anything else."""
    number = parse_id(value)
    return str(number) if number and number <= MAX_PAGE_NUMBER else None


def year(value: str) -> str | None:
    return value if len(value) == 4 and value.isascii() and value.isdigit() else None


def one_of(*allowed: str):
    return lambda value: value if value in allowed else None


def text(limit: int):
    return lambda value: value if len(value) <= limit else None


def keep_read_parameters(request, reads) -> None:
    """Drop from ``request`` every query parameter but ``reads``, and put those in ``reads``' order.

    ``reads`` names the parameters, or maps each to a check that returns its
    canonical value or None: a value a view would refuse or ignore is dropped,
    so random values of a read parameter do not each make a page of their own.
    Only the last value of a parameter is kept (the one views read).
    """
    if not request.META.get("QUERY_STRING"):
        return  # nothing to drop (most requests for a public page)
    checks = reads if isinstance(reads, dict) else dict.fromkeys(reads)
    kept = QueryDict(mutable=True, encoding=request.GET.encoding)
    for name, check in checks.items():
        value = request.GET.get(name)
        if value is not None and check is not None:
            value = check(value)
        if value is not None:
            kept[name] = value
    query = kept.urlencode()
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = query


def page_cache_key(request) -> str:
    """Where the page at this request's address is kept (whatever the generation)."""
    variant = "htmx" if request.headers.get("HX-Request") else "page"
    # The translation language a reader prefers opens that translation (reader.translations): a page per choice.
    variant += f":translations-{translation_preference(request) or 'folded'}"
    # Pages hold absolute addresses (permanent links, og:url), so the scheme and host matter.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    # The address names the language too (/ur/…); the key says so as well, so that no rule for
    # choosing a language could ever serve one language's page for another's.
    return f"public-page:{get_language()}:{variant}:{digest}"


def render_lock_key(page_key: str) -> str:
    """Held (``cache.add``) by the one request rendering that page afresh."""
    return f"{page_key}:rendering"


def account_slot_mark(request, edge: str) -> str:
    """The mark at the ``edge`` ("start" or "end") of the account slot, in a page rendered for the cache only.

    Each rendering for the cache draws a new random mark, so no text a user
    wrote into a record can forge one; the marks are found and removed right
    after that rendering, and only their offsets are kept (``_cut_account_slot``).
    """
    nonce = getattr(request, "_account_slot", None)
    return f"<!--account-slot-{edge}:{nonce}-->" if nonce else ""


def _cut_account_slot(content: bytes, request) -> tuple[bytes, tuple[int, int] | None]:
    """``content`` without the slot's marks, and the slot's offsets (None unless each mark is there exactly once)."""
    start, end = (account_slot_mark(request, edge).encode() for edge in ("start", "end"))
    if content.count(start) != 1 or content.count(end) != 1 or content.index(start) > content.index(end):
        return content.replace(start, b"").replace(end, b""), None
    head, rest = content.split(start)
    slot, tail = rest.split(end)
    return head + slot + tail, (len(head), len(head) + len(slot))


def _render_for_cache(view, request, args, kwargs, generation: str) -> tuple[HttpResponse, CachedPage | None]:
    withdrawal, started = withdrawal_token(), time.time()
    request._account_slot = secrets.token_hex(16)
    try:
        response = view(request, *args, **kwargs)
        if not response.streaming:
            response.content, account = _cut_account_slot(response.content, request)
    finally:
        del request._account_slot
    storable = (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
    if not storable:
        return response, None
    etag = f'"{hashlib.sha256(get_language().encode() + b":" + response.content).hexdigest()[:32]}"'
    page = CachedPage(response.content, response["Content-Type"], etag, started, generation, withdrawal, account)
    return response, page


def _servable_in_grace(page: CachedPage | None) -> bool:
    return page is not None and page.age <= GRACE_SECONDS and page.withdrawal == withdrawal_token()


def _fresh_or_stale(view, request, args, kwargs, key: str, generation: str, latest: CachedPage | None):
    """Render the page (one request at a time per address), or serve ``latest`` while another request does."""
    lock_key, holder = render_lock_key(key), uuid.uuid4().hex
    locked = cache.add(lock_key, holder, RENDER_LOCK_SECONDS)
    if not locked and _servable_in_grace(latest):
        return HttpResponse(latest.content, content_type=latest.content_type), latest
    try:
        response, page = _render_for_cache(view, request, args, kwargs, generation)
        if page is not None:
            cache.set(key, page, PAGE_TIMEOUT)
            near_pages.put(key, page)
        return response, page
    finally:
        if locked and cache.get(lock_key) == holder:
            cache.delete(lock_key)


def _current_page(view, request, args, kwargs) -> tuple[HttpResponse, CachedPage | None]:
    """This address's page for the current generation, from the cache or rendered, and a response that serves it.

    The page is None when the rendering could not be kept (an error, a cookie
    set); the response is then the view's own.
    """
    request._csp_nonce = None  # see the module docstring
    key, generation = page_cache_key(request), public_generation()
    page = near_pages.get(key, generation)
    if page is None:
        page = cache.get(key)
        if page is not None and page.generation == generation:
            near_pages.put(key, page)
    if page is not None and page.generation == generation:
        return HttpResponse(page.content, content_type=page.content_type), page
    return _fresh_or_stale(view, request, args, kwargs, key, generation, page)


def _serve_cached(view, request, args, kwargs, vary: tuple[str, ...]):
    response, page = _current_page(view, request, args, kwargs)
    if page is None:
        return response
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(page.rendered_at)
    patch_cache_control(response, no_cache=True, public=True)
    patch_vary_headers(response, vary)
    response.kept_page = page  # reader.middleware keeps the finished response of a kept page
    return get_conditional_response(request, etag=page.etag, last_modified=int(page.rendered_at), response=response)


def cached_public_page(view=None, *, shared: bool = False, reads=()):
    """Serve ``view`` from the cache to anonymous readers, with ETag and Last-Modified.

    ``reads`` names the query parameters the view reads, or maps each to a check
    of its value; it never sees any other, nor a value that fails its check (see
    ``keep_read_parameters``), for everyone, so the page and its fragments are
    the same whatever else the address carries.
    ``shared=True`` is for documents that hold nothing for one reader (a feed,
    JSON data): they are served from the cache to logged-in readers too.
    """
    if view is None:
        return lambda view: cached_public_page(view, shared=shared, reads=reads)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        keep_read_parameters(request, reads)
        if shared and _is_cacheable(request, shared=True):
            return _serve_cached(view, request, args, kwargs, ("HX-Request",))
        if not _is_cacheable(request):
            response = _serve_with_account(view, request, args, kwargs) or view(request, *args, **kwargs)
            patch_vary_headers(response, ("Cookie",))
            return response
        return _serve_cached(view, request, args, kwargs, ("Cookie", "HX-Request"))

    return wrapper


def has_message_waiting(request) -> bool:
    """Whether a message waits for this logged-in reader (a page showing it is for them alone)."""
    return "messages" in request.COOKIES or bool(request.session.get("_messages"))


def _serve_with_account(view, request, args, kwargs) -> HttpResponse | None:
    """The anonymous readers' page with this logged-in reader's account links in its slot; None if it has none.

    The page is the one every anonymous reader gets (rendered as for one if it
    must be), so a logged-in reader costs what an anonymous one does plus the
    few links of the slot (``base.html#account``). Pages with a message for
    this reader, and htmx requests (fragments have no slot), are rendered for
    them as before.
    """
    if (
        settings.DEBUG
        or request.method not in ("GET", "HEAD")
        or request.headers.get("HX-Request")
        or has_message_waiting(request)
    ):
        return None
    user = request.user
    request.user = AnonymousUser()
    try:
        _, page = _current_page(view, request, args, kwargs)
    finally:
        request.user = user
    if page is None or page.account is None:
        return None
    start, end = page.account
    account = render_to_string("base.html#account", request=request).encode()
    response = HttpResponse(page.content[:start] + account + page.content[end:], content_type=page.content_type)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _reviewable_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw or _bulk.active:  # a backup being loaded, or a bulk writer: one bump at its end
        return
    # Readers see approved records only. Submitting and rejecting move between
    # states readers never see. An approval, or a record created approved, only
    # adds to what readers see; an edit of an approved record changes what they
    # may have seen, and so does a return to draft (perhaps from approved).
    state_changed = bool(update_fields) and "state" in update_fields
    if instance.state == ReviewState.APPROVED:
        added = created or state_changed
        if added:
            scopes = instance.pages_added_to()
            transaction.on_commit(lambda: _bump_scopes(scopes))
        public_data_changed(withdrawal=not added)
    elif state_changed and instance.state == ReviewState.DRAFT:
        public_data_changed(withdrawal=True)


def _reviewable_deleted(sender, instance, **kwargs):
    if _bulk.active:
        return
    if instance.state == ReviewState.APPROVED:
        public_data_changed(withdrawal=True)


class _BulkWrites(threading.local):
    active = False


_bulk = _BulkWrites()


@contextmanager
def writing_in_bulk():
    """Write many records with no cache work per record, then forget every cached page and fragment once.

    For commands that write records by the thousand (seeds, imports, the
    benchmark's corpus): the signal handlers below do nothing in this thread
    meanwhile. At the end, once the transaction commits, the public data
    generation changes as for a withdrawal (so every scope with it), and so
    does the desk generation. Loading rows raw (``loaddata``, a backup) skips
    the handlers too, and must end with this bump as well.
    """
    outer = _bulk.active
    _bulk.active = True
    try:
        yield
    finally:
        _bulk.active = outer
    if not outer:
        transaction.on_commit(bump_after_bulk_writes)


def bump_after_bulk_writes() -> None:
    """Forget every cached public page, scope and desk fragment at once (see ``writing_in_bulk``)."""
    bump_public_generation(withdrawal=True)
    _bump_desk_generation()


def _capture_saved(sender, instance, raw=False, **kwargs):
    # A re-check's notices show on its source's page and on the contradictions quoting it.
    if raw or _bulk.active or instance.source_id is None or instance.purpose != instance.Purpose.RECHECK:
        return
    from reader.notices import pages_showing_captures

    if scopes := pages_showing_captures(instance.source_id):
        public_pages_changed(scopes)


def connect_invalidation() -> None:
    """Bump the public and desk generations whenever a record changes (called from ReaderConfig.ready)."""
    from claims.models import Actor, Answer, Claim, Proposition, Question, Revision, Stance, Translation
    from sources.models import Capture, Source

    for model in (Claim, Proposition, Stance, Actor, Source, Question, Answer, Translation):
        post_save.connect(_reviewable_saved, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
        post_delete.connect(_reviewable_deleted, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")
    post_save.connect(_capture_saved, sender=Capture, dispatch_uid="public-cache-save-Capture")
    for model in (Claim, Proposition, Stance, Revision, Actor, Source, Question, Answer, Translation):
        post_save.connect(desk_data_changed, sender=model, dispatch_uid=f"desk-cache-save-{model.__name__}")
        post_delete.connect(desk_data_changed, sender=model, dispatch_uid=f"desk-cache-delete-{model.__name__}")
