"""The API at /api/v1/: public records to read, drafts to write, its schema and its documentation.

Reading (GET) serves exactly what the public pages serve, from the same
querysets (``api.lists``), in the shapes of ``api.records``. Writing (POST)
makes drafts of the token's user through the desk's forms and sends them to
review through the desk's submission (``api.drafts``); no endpoint approves,
rejects or deletes. Every refusal is problem details (``api.problems``),
raised here or turned into one by ``api.middleware``.
"""

import json
from functools import partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from api import drafts, lists
from api.auth import READ, WRITE
from api.docs import OwnOriginSwagger
from api.pagination import Order, paginate
from api.problems import PROBLEM_TYPES, InvalidRequest, field_error, problem_response
from api.records import (
    actor_record,
    claim_record,
    contradiction_json,
    contradiction_summary,
    question_json,
    question_summary,
    source_record,
    stance_record,
)
from api.schemas import (
    SLUG,
    Actor,
    ActorPage,
    Citation,
    Claim,
    ClaimPage,
    Contradiction,
    ContradictionPage,
    DraftClaim,
    DraftProposition,
    DraftSource,
    DraftStance,
    ListFilters,
    NewClaim,
    NewProposition,
    NewSource,
    NewStance,
    Problem,
    Question,
    QuestionFilters,
    QuestionPage,
    SourcePage,
    SourceWithText,
    Stance,
    StanceFilters,
    StancePage,
    Submitted,
)
from claims.addresses import current_public_slug
from claims.models import Claim as ClaimModel
from claims.models import Proposition, ReviewError, StaleEdit
from claims.models import Question as QuestionModel
from claims.models import Stance as StanceModel
from config.middleware import parse_id
from reader import caching, citations, public
from reader import questions as reader_questions
from reader.translations import attach_translations
from reader.views import moved_to
from sources.models import Source as SourceModel


class StrictJSON(Parser):
    """JSON bodies whose strings are text: a lone surrogate (\\ud800) is refused, as no database can store it."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if _has_lone_surrogate(data):
            raise ValueError("A string holds a lone surrogate, which is not text.")
        return data


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


class ReadableJSON(JSONRenderer):
    """JSON with its text as text (“Kabul”, not \\u201cKabul\\u201d), as the .json pages write it."""

    json_dumps_params = {"ensure_ascii": False}


DESCRIPTION = """
The claim tracker's public records — contradictions, disputed facts (questions), claims, stances, actors and
sources — exactly as the public pages show them: approved records only. Analysts with a read-and-write token also record sources,
claims, stances and propositions as drafts and send them to review; reviewers approve them in the admin.

**Tokens.** Make one at the desk (/desk/tokens/); it is shown once. Send it as `Authorization: Bearer <token>`.
Reading needs none.

**Pages.** Lists return `items` and `next` (the next page's address, or null); pass `cursor` from
`next_cursor` and at most 200 items a page with `limit`.

**Errors** are RFC 9457 problem details (`application/problem+json`); `errors` names each field at fault.
Too many requests get 429 with `Retry-After`.
"""

api = NinjaAPI(
    title="Claim Tracker API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=OwnOriginSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=require_safe,
    renderer=ReadableJSON(),
    parser=StrictJSON(),
)

ERRORS = dict.fromkeys((401, 403, 404, 409, 422, 429), Problem)
READ_ERRORS = dict.fromkeys((401, 404, 422, 429), Problem)


def absolute(request):
    """A function making an absolute address of a path ``reverse`` gave, for the records of one response.

    ``build_absolute_uri`` takes a few microseconds a call, and a list names hundreds of records: a path
    (one ``/``, already quoted by ``reverse``) is put after this request's origin, found once.
    """
    origin = request.build_absolute_uri("/").removesuffix("/")

    def made_absolute(location: str) -> str:
        if location.startswith("/") and not location.startswith("//"):
            return origin + location
        return request.build_absolute_uri(location)

    return made_absolute


def kept_for_generation(run):
    """Serve a read operation's response, as ninja rendered it, from the cache for the public data generation.

    For what most readers of the API ask for: a request without a token, with no parameter but ``limit``
    (the first page of a list without a filter, a record by its address). The response is kept whole, per
    absolute address (its addresses are absolute and name the page size), in the worker's memory and in the
    shared cache, and served while the generation is the one it was rendered under; so a cached reading
    costs neither queries nor validating and rendering the document again. A request with a token goes
    the usual way (it is checked, and its use recorded), and only a 200 is kept.
    """

    @wraps(run)
    def kept(request, *args, **kwargs):
        if request.method != "GET" or "Authorization" in request.headers or not set(request.GET) <= {"limit"}:
            return run(request, *args, **kwargs)
        key, generation = f"api-response:{absolute(request)(request.get_full_path())}", caching.public_generation()
        served = caching.near_pages.get(key, generation)
        if served is None and (shared := cache.get(key)) is not None and shared.generation == generation:
            caching.near_pages.put(key, served := shared)
        if served is not None:
            return served.response()
        response = run(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            served = caching.ServedPage(response.content, generation, tuple(response.items()))
            cache.set(key, served, caching.PAGE_TIMEOUT)
            caching.near_pages.put(key, served)
        return response

    return kept


# ---------------------------------------------------------------------------
# Problem details for everything ninja and the models raise


@api.exception_handler(NinjaValidationError)
def invalid_values(request, error):
    errors = []
    for entry in error.errors:
        location, *path = [str(part) for part in entry.get("loc", ())] or ["body"]
        # ninja puts a body's fields under the parameter's name (["body", "payload", "quote"]).
        if location == "body" and len(path) > 1:
            path = path[1:]
        message = entry.get("msg", "Invalid value.").removeprefix("Value error, ")
        errors.append(field_error(location, "/".join(path), message))
    return problem_response(
        request, 422, "Some values are not valid; errors says which and why.", slug="invalid-request", errors=errors
    )


@api.exception_handler(InvalidRequest)
def invalid_request(request, error):
    errors = [
        field_error(location, name, message) if name else {"detail": message}
        for location, name, message in error.errors
    ]
    detail = error.errors[0][2] if len(error.errors) == 1 else "Some values are not valid; errors says which and why."
    return problem_response(request, 422, detail, slug="invalid-request", errors=errors)


@api.exception_handler(HttpError)
def http_error(request, error):
    if error.status_code == 400:  # ninja could not read the body as JSON
        detail = 'The body is not valid JSON in UTF-8: send one JSON object, e.g. {"statement": "…"}.'
        return problem_response(request, 400, detail, slug="malformed-body")
    if error.status_code == 401:
        return problem_response(
            request, 401, str(error), slug="not-authenticated", headers={"WWW-Authenticate": 'Bearer realm="api"'}
        )
    if error.status_code == 403:
        return problem_response(request, 403, str(error), slug="forbidden")
    return problem_response(request, error.status_code, str(error))


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, error):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = f"The body is larger than the {limit // 1024} KiB the API reads; nothing was saved."
    return problem_response(request, 413, detail, slug="body-too-large")


@api.exception_handler(Http404)
def not_found(request, error):
    return problem_response(request, 404, str(error) or "There is no such record.", slug="not-found")


class Moved(Exception):
    """The record asked for by a former slug (claims.addresses): it is at the same address with ``slug``."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


@api.exception_handler(Moved)
def moved(request, error):
    return moved_to(request, error.slug)


@api.exception_handler(PermissionDenied)
def forbidden(request, error):
    return problem_response(request, 403, str(error) or "You may not do this.", slug="forbidden")


@api.exception_handler(ReviewError)
def review_refused(request, error):
    return problem_response(request, 409, " ".join(error.messages), slug="conflict")


@api.exception_handler(StaleEdit)
def stale(request, error):
    return problem_response(request, 409, str(error), slug="conflict", version=error.current.version)


@api.exception_handler(drafts.Conflict)
def conflict(request, error):
    return problem_response(request, 409, str(error), slug="conflict")


@api.exception_handler(drafts.Duplicate)
def duplicate(request, error):
    existing = error.existing
    pointer = {
        "id": existing.pk,
        "title": existing.title,
        "desk_url": drafts.desk_address(request, "desk:source", existing.pk),
    }
    return problem_response(request, 409, str(error), slug="duplicate", existing=pointer)


# ---------------------------------------------------------------------------
# The root and the problem types


@api.get("", url_name="root", include_in_schema=False)
def root(request):
    links = {
        name: request.build_absolute_uri(reverse(f"api:{name}"))
        for name in ("contradictions", "questions", "claims", "stances", "actors", "sources", "problems")
    }
    links["openapi"] = request.build_absolute_uri(reverse("api:openapi-json"))
    links["docs"] = request.build_absolute_uri(reverse("api:openapi-view"))
    return links


@api.get("/problems", url_name="problems", tags=["problems"], summary="The problem types this API names")
def problems(request):
    """Each problem ``type`` of this API's errors: its title, HTTP status and what it means."""
    return {
        slug: {"title": problem.title, "status": problem.status, "description": problem.description}
        for slug, problem in PROBLEM_TYPES.items()
    }


# ---------------------------------------------------------------------------
# Reading

CONTRADICTIONS = Order("contradictions", "became_contradiction_at")
CLAIMS, STANCES, ACTORS, SOURCES = Order("claims"), Order("stances"), Order("actors"), Order("sources")
QUESTIONS = Order("questions")


def _page(request, records, cursor: str | None, render) -> dict:
    """The envelope of a list: its items, the next page's address and cursor."""
    query = request.GET.copy()
    if cursor is None:
        return {"items": [render(record) for record in records], "next": None, "next_cursor": None}
    query["cursor"] = cursor
    return {
        "items": [render(record) for record in records],
        "next": request.build_absolute_uri(f"{request.path}?{query.urlencode()}"),
        "next_cursor": cursor,
    }


@api.get(
    "/contradictions",
    response={200: ContradictionPage, **READ_ERRORS},
    auth=READ,
    url_name="contradictions",
    tags=["contradictions"],
)
@decorate_view(kept_for_generation)  # the first page without a filter, which most readers ask for
def list_contradictions(request, filters: Query[ListFilters]):
    """Contradictions: approved propositions with approved claims on opposing sides, newest first.

    A filter keeps those with a public claim that matches it, as the contradictions page does. Disputed facts
    (questions whose approved answers conflict) are listed at /questions.
    """

    found = lists.contradictions(lists.PublicClaimFilter.read(filters))
    records, cursor = paginate(found, CONTRADICTIONS, cursor=filters.cursor, size=filters.page_size)
    public.attach_side_actors(records)
    return _page(request, records, cursor, partial(contradiction_summary, absolute=absolute(request)))


@api.get(
    "/contradictions/{slug}",
    response={200: Contradiction, **READ_ERRORS},
    auth=READ,
    url_name="contradiction",
    tags=["contradictions"],
)
@decorate_view(kept_for_generation)  # the same document as the page's .json, kept like it
def get_contradiction(request, slug: str):
    """One contradiction with its claims on every side, as its page's .json gives it."""
    proposition = _by_slug(Proposition.objects.public(), slug, "public contradiction")
    stances = public.contradiction_stances(proposition)
    return contradiction_json(proposition, stances, public.last_reviewed(proposition, stances), absolute(request))


@api.get(
    "/questions",
    response={200: QuestionPage, **READ_ERRORS},
    auth=READ,
    url_name="questions",
    tags=["questions"],
    exclude_unset=True,
)
def list_questions(request, filters: Query[QuestionFilters]):
    """Disputed facts: approved questions that ask for one value, with the values their approved answers give.

    Every public question, newest first, each saying which of its values conflict (``disputed=true`` keeps
    those with a conflict, as /questions/ does). A filter keeps the questions with a public claim answering
    them that matches it. Contradictions between propositions are at /contradictions.
    """
    found = lists.questions(lists.PublicClaimFilter.read(filters), disputed=filters.disputed)
    records, cursor = paginate(found, QUESTIONS, cursor=filters.cursor, size=filters.page_size)
    reader_questions.attach_summaries(records)
    return _page(request, records, cursor, partial(question_summary, absolute=absolute(request)))


@api.get(
    "/questions/{slug}",
    response={200: Question, **READ_ERRORS},
    auth=READ,
    url_name="question",
    tags=["questions"],
    exclude_unset=True,
)
def get_question(request, slug: str):
    """One question with its approved answers grouped by value, and the values that conflict, as its page's .json."""
    question = _by_slug(QuestionModel.objects.public(), slug, "public question")
    return question_json(question, reader_questions.QuestionPage(question), absolute(request))


@api.get("/claims", response={200: ClaimPage, **READ_ERRORS}, auth=READ, url_name="claims", tags=["claims"])
def list_claims(request, filters: Query[ListFilters]):
    """Approved claims, newest first, each with its source and the propositions it takes a side on."""
    found = lists.claims(lists.PublicClaimFilter.read(filters))
    records, cursor = paginate(found, CLAIMS, cursor=filters.cursor, size=filters.page_size)
    public.attach_public_stances(records)
    attach_translations(records)
    return _page(request, records, cursor, partial(claim_record, absolute=absolute(request)))


def _by_slug(queryset, slug: str, what: str):
    """The record with this slug, or 404 (also for what cannot be a slug, which no query is made for)."""
    record = queryset.filter(slug=slug).first() if SLUG.match(slug) else None
    if record is None and SLUG.match(slug) and (current := current_public_slug(queryset.model, slug)):
        raise Moved(current)
    if record is None:
        raise Http404(f"No {what} has the address “{slug}”.")
    return record


def _public_or_404(queryset, key: str, what: str):
    pk = parse_id(key)
    record = queryset.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise Http404(f"No public {what} has the id “{key}”.")
    return record


@api.get("/claims/{claim_id}", response={200: Claim, **READ_ERRORS}, auth=READ, url_name="claim", tags=["claims"])
def get_claim(request, claim_id: str):
    """One approved claim."""
    claim = _public_or_404(lists.claims(lists.PublicClaimFilter()), claim_id, "claim")
    public.attach_public_stances([claim])
    attach_translations([claim])
    return claim_record(claim, absolute(request))


@api.get("/stances", response={200: StancePage, **READ_ERRORS}, auth=READ, url_name="stances", tags=["stances"])
def list_stances(request, filters: Query[StanceFilters]):
    """Approved stances (a claim's side on a proposition) whose claim and proposition are approved, newest first."""
    found = lists.stances(lists.PublicClaimFilter.read(filters), side=filters.side)
    records, cursor = paginate(found, STANCES, cursor=filters.cursor, size=filters.page_size)
    return _page(request, records, cursor, partial(stance_record, absolute=absolute(request)))


@api.get("/stances/{stance_id}", response={200: Stance, **READ_ERRORS}, auth=READ, url_name="stance", tags=["stances"])
def get_stance(request, stance_id: str):
    """One public stance."""
    stance = _public_or_404(lists.stances(lists.PublicClaimFilter()), stance_id, "stance")
    return stance_record(stance, absolute(request))


@api.get("/actors", response={200: ActorPage, **READ_ERRORS}, auth=READ, url_name="actors", tags=["actors"])
def list_actors(request, filters: Query[ListFilters]):
    """Public actors (approved, with an approved claim), newest first; filters keep those with a matching claim."""
    found = lists.actors(lists.PublicClaimFilter.read(filters))
    records, cursor = paginate(found, ACTORS, cursor=filters.cursor, size=filters.page_size)
    return _page(request, records, cursor, partial(actor_record, absolute=absolute(request)))


@api.get("/actors/{slug}", response={200: Actor, **READ_ERRORS}, auth=READ, url_name="actor", tags=["actors"])
def get_actor(request, slug: str):
    """One public actor."""
    actor = _by_slug(lists.public_actors(), slug, "public actor")
    return actor_record(actor, absolute(request))


@api.get("/sources", response={200: SourcePage, **READ_ERRORS}, auth=READ, url_name="sources", tags=["sources"])
def list_sources(request, filters: Query[ListFilters]):
    """Public sources (approved, with an approved claim), newest first, without their text."""
    found = lists.sources(lists.PublicClaimFilter.read(filters))
    records, cursor = paginate(found, SOURCES, cursor=filters.cursor, size=filters.page_size)
    return _page(request, records, cursor, partial(source_record, absolute=absolute(request)))


@api.get(
    "/sources/{source_id}",
    response={200: SourceWithText, **READ_ERRORS},
    auth=READ,
    url_name="source",
    tags=["sources"],
)
def get_source(request, source_id: str):
    """One public source with its text, in which the claims' selectors point."""
    source = _public_or_404(SourceModel.objects.public(), source_id, "source")
    return source_record(source, absolute(request), text=True)


# ---------------------------------------------------------------------------
# Writing drafts (a read-and-write token)


@api.post("/sources", response={201: DraftSource, **ERRORS}, auth=WRITE, url_name="source_create", tags=["drafts"])
def create_source(request, payload: NewSource):
    """Import a source from pasted text, as a draft. A source with the same text or address is refused (409)."""
    source = drafts.create_source(payload, request.auth.user)
    return Status(201, drafts.draft_source(request, source))


@api.post("/claims", response={201: DraftClaim, **ERRORS}, auth=WRITE, url_name="claim_create", tags=["drafts"])
def create_claim(request, payload: NewClaim):
    """Record a claim as a draft. The quote is anchored in the source's text as at the desk, with the same refusals.

    With ``proposition`` and ``side`` it also takes that side (a draft stance); new actors and a new
    proposition are created as drafts when asked (``claimant_is_new``, ``proposition_is_new``).
    """
    claim = drafts.create_claim(payload, request.auth.user)
    return Status(201, drafts.draft_claim(request, claim))


@api.post("/stances", response={201: DraftStance, **ERRORS}, auth=WRITE, url_name="stance_create", tags=["drafts"])
def create_stance(request, payload: NewStance):
    """Put a claim on a proposition's side, as a draft stance."""
    stance = drafts.create_stance(payload, request.auth.user)
    return Status(201, drafts.draft_stance(request, stance))


@api.post(
    "/propositions",
    response={201: DraftProposition, **ERRORS},
    auth=WRITE,
    url_name="proposition_create",
    tags=["drafts"],
)
def create_proposition(request, payload: NewProposition):
    """Create a proposition as a draft. One with the same statement is refused."""
    proposition = drafts.create_proposition(payload, request.auth.user)
    return Status(201, drafts.draft_proposition(request, proposition))


def _draft(queryset, key: str, what: str):
    """Any record at the desk (as the desk's pages read them), or 404."""
    record = queryset.filter(pk=parse_id(key)).first() if parse_id(key) is not None else None
    if record is None:
        raise Http404(f"There is no {what} with the id “{key}”.")
    return record


@api.post(
    "/claims/{claim_id}/submit",
    response={200: Submitted, **ERRORS},
    auth=WRITE,
    url_name="claim_submit",
    tags=["drafts"],
)
def submit_claim(request, claim_id: str):
    """Send your draft claim to review, with your drafts it rests on (its source, claimant and reporter)."""
    claim = _draft(ClaimModel.objects.all(), claim_id, "claim")
    return drafts.submitted(drafts.submit_claim_draft(claim, request.auth.user))


@api.post(
    "/sources/{source_id}/submit",
    response={200: Submitted, **ERRORS},
    auth=WRITE,
    url_name="source_submit",
    tags=["drafts"],
)
def submit_source(request, source_id: str):
    """Send all your drafts in this source to review: its claims, their stances and their new propositions."""
    source = _draft(SourceModel.objects.defer("text"), source_id, "source")
    return drafts.submitted(drafts.submit_source(source, request.auth.user))


@api.post(
    "/stances/{stance_id}/submit",
    response={200: Submitted, **ERRORS},
    auth=WRITE,
    url_name="stance_submit",
    tags=["drafts"],
)
def submit_stance(request, stance_id: str):
    """Send your draft stance to review."""
    stance = _draft(StanceModel.objects.on_boards(), stance_id, "stance")
    return drafts.submitted(drafts.submit_record(stance, request.auth.user))


@api.post(
    "/propositions/{slug}/submit",
    response={200: Submitted, **ERRORS},
    auth=WRITE,
    url_name="proposition_submit",
    tags=["drafts"],
)
def submit_proposition(request, slug: str):
    """Send your draft proposition to review."""
    proposition = _by_slug(Proposition.objects.all(), slug, "proposition")
    return drafts.submitted(drafts.submit_record(proposition, request.auth.user))


# ---------------------------------------------------------------------------
# Citations: what the pages' "Cite" offers, accessed today


def _citation(request, citation, url_name: str, args: list) -> dict:
    return {
        "text": citations.plain_text(citation),
        "bibtex": citations.bibtex([citation]),
        "ris": citations.ris([citation]),
        "csl": citations.csl_item(citation),
        "files": {
            extension: request.build_absolute_uri(reverse(url_name, args=[*args, extension]))
            for extension in citations.FORMATS
        },
    }


@api.get(
    "/contradictions/{slug}/citation",
    response={200: Citation, **READ_ERRORS},
    auth=READ,
    url_name="contradiction_citation",
    tags=["citations"],
)
def cite_contradiction(request, slug: str):
    """How to cite a contradiction's page: BibTeX, RIS, CSL-JSON and a reference to copy."""
    proposition = _by_slug(Proposition.objects.public(), slug, "public contradiction")
    stances = public.citation_stances(proposition)
    citation = citations.contradiction_citation(
        proposition,
        stances,
        public.last_reviewed(proposition, stances),
        url=request.build_absolute_uri(proposition.get_absolute_url()),
        accessed=timezone.localdate(),
    )
    return _citation(request, citation, "reader:contradiction_citation", [proposition.slug])


@api.get(
    "/claims/{claim_id}/citation",
    response={200: Citation, **READ_ERRORS},
    auth=READ,
    url_name="claim_citation",
    tags=["citations"],
)
def cite_claim(request, claim_id: str):
    """How to cite an approved claim: BibTeX, RIS, CSL-JSON and a reference to copy."""
    claim = _public_or_404(public.citation_claims(), claim_id, "claim")
    url = request.build_absolute_uri(claim.get_absolute_url())
    citation = citations.claim_citation(claim, url=url, accessed=timezone.localdate())
    return _citation(request, citation, "reader:claim_citation", [claim.pk])
