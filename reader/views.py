"""The pages readers see: home, contradictions, one contradiction (HTML and JSON), actors, sources, search.

Every page shows approved records only (see reader.public) and is cached for
anonymous readers (see reader.caching). For everyone else, the part of each
page that is the same for every reader is a fragment kept per public data
generation or per scope: each view makes its fragments' keys
(``fragment_key``) and passes what they show as lazy objects, read from the
database only when a fragment has to be rendered.
"""

import hashlib
from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from claims.addresses import current_public_slug
from claims.models import Actor, Proposition, Question
from reader import citations, notices, public, translations
from reader.caching import (
    cached_for_scope,
    cached_public_page,
    fragment_key,
    one_of,
    page_number,
    public_generation,
    scope_token,
    text,
    year,
)
from reader.embeds import (
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    OEmbedError,
    contradiction_slug,
    embed_sides,
    embeddable,
    oembed_document,
    requested_size,
)
from reader.models import PositionChange
from reader.public_json import actor_document, contradiction_json, contradiction_json_ld
from reader.questions import (
    Disputed,
    QuestionFilterForm,
    QuestionPage,
    QuestionSort,
    attach_summaries,
    disputed_facts,
    question_json,
)
from search.forms import SearchForm
from search.query import cached_find, load_results, parse_query
from sources.capture import archived_body
from sources.models import Capture, Source

CONTRADICTIONS_PER_PAGE = 20
CHANGES_PER_PAGE = 20
LATEST_ON_HOME = 8
# The latest disputed facts above the first page of contradictions (a large database has hundreds).
FACTS_ON_LIST = 10
QUESTIONS_PER_PAGE = 20
RESULTS_PER_PAGE = 20


def moved_to(request, slug: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect to this request's address with ``slug`` in place of its own, and the same query."""
    match = request.resolver_match
    address = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": slug})
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)


def follows_former_slugs(model):
    """Answer an address made with a former slug of a public ``model`` record with a permanent redirect.

    The view runs first: only an address it does not find (404) is looked up
    among the former slugs (claims.addresses), and the redirect goes to the
    same view with the record's current slug and the same query.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Http404:
                current = current_public_slug(model, kwargs["slug"])
                if current is None:
                    raise
            return moved_to(request, current)

        return wrapper

    return decorate


def _get_public_proposition(slug: str) -> Proposition:
    return get_object_or_404(Proposition.objects.public(), slug=slug)


def _get_public_actor(slug: str) -> Actor:
    affiliation_is_public = Exists(Actor.objects.public().filter(pk=OuterRef("affiliation")))
    actors = Actor.objects.public().select_related("affiliation").annotate(affiliation_is_public=affiliation_is_public)
    return get_object_or_404(actors, slug=slug)


@require_safe
@cached_public_page
def home(request):
    context = {
        "contradictions": SimpleLazyObject(
            lambda: public.attach_side_actors(Proposition.objects.contradictions()[:LATEST_ON_HOME])
        ),
        "disputed_facts": SimpleLazyObject(lambda: disputed_facts(limit=LATEST_ON_HOME)),
        "counts": SimpleLazyObject(public.counts),
        "fragments": {"home": fragment_key("home", public_generation())},
    }
    return render(request, "reader/home.html", context)


def _contradictions_page(form, number):
    page = Paginator(form.filter(Proposition.objects.contradictions()), CONTRADICTIONS_PER_PAGE).get_page(number)
    page.object_list = public.attach_side_actors(page.object_list)
    return page


def _disputed_facts(form, number) -> list:
    """The questions whose answers conflict, filtered like the propositions, above the first page of them."""
    if number not in (None, "", "1"):
        return []
    data = form.cleaned_data if form.is_valid() else {}
    filters = {"actor": data.get("actor"), "source": data.get("source"), "year": data.get("year")}
    return disputed_facts(**filters, limit=FACTS_ON_LIST)


@require_safe
@cached_public_page(
    reads={
        "actor": text(200),
        "source": text(500),
        "year": year,
        "sort": one_of(*(value for value, _ in public.ContradictionSort.CHOICES)),
        "page": page_number,
    }
)
def contradiction_list(request):
    form = SimpleLazyObject(lambda: public.ContradictionFilterForm(request.GET))
    address, generation = request.get_full_path(), public_generation()
    context = {
        "form": form,
        "page": SimpleLazyObject(lambda: _contradictions_page(form, request.GET.get("page"))),
        "disputed_facts": SimpleLazyObject(lambda: _disputed_facts(form, request.GET.get("page"))),
        "facts_on_list": FACTS_ON_LIST,
        "fragments": {
            "title": fragment_key("contradictions-title", address, generation),
            "page": fragment_key("contradictions", address, generation),
            "results": fragment_key("contradictions-results", address, generation),
        },
    }
    template = "reader/contradiction_list.html#results" if request.htmx else "reader/contradiction_list.html"
    return render(request, template, context)


def _site(request) -> str:
    """A short name for the scheme and host that absolute addresses are built with."""
    return hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:16]


@follows_former_slugs(Proposition)
@require_safe
@cached_public_page
def contradiction(request, slug):
    proposition = _get_public_proposition(slug)
    page = public.ContradictionPage(proposition)
    scope = scope_token("proposition", proposition.pk)

    def head() -> dict:
        json_ld = contradiction_json_ld(proposition, page.stances, page.last_reviewed, request.build_absolute_uri)
        return {"last_reviewed": page.last_reviewed, "json_ld": json_ld}

    permalink = request.build_absolute_uri(proposition.get_absolute_url())
    context = {
        "proposition": proposition,
        "permalink": permalink,
        "stances": SimpleLazyObject(lambda: page.stances),
        "columns": SimpleLazyObject(lambda: page.columns),
        "related": SimpleLazyObject(lambda: page.related),
        **cached_for_scope(f"contradiction-head:{_site(request)}", "proposition", proposition.pk, head),
        **translations.translation_context(
            request, lambda: [stance.claim for stance in page.stances], back=request.path
        ),
        "fragments": {
            "claims": fragment_key("contradiction", proposition.pk, permalink, scope, translations.preference(request)),
            "related": fragment_key("contradiction-related", proposition.pk, public_generation()),
        },
    }
    return render(request, "reader/contradiction.html", context)


@follows_former_slugs(Proposition)
@require_safe
@cached_public_page(shared=True)
def contradiction_data(request, slug):
    proposition = _get_public_proposition(slug)
    stances = public.contradiction_stances(proposition)
    last_reviewed = public.last_reviewed(proposition, stances)
    data = contradiction_json(proposition, stances, last_reviewed, request.build_absolute_uri)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@follows_former_slugs(Actor)
@require_safe
@cached_public_page(reads={"page": page_number})
def actor(request, slug):
    actor = _get_public_actor(slug)
    actor_page = public.ActorPage(actor, request.GET.get("page"))
    scope = scope_token("actor", actor.pk)
    context = {
        "actor": actor,
        "actor_page": actor_page,
        **translations.translation_context(
            request, lambda: actor_page.page.quoted_claims, back=request.get_full_path()
        ),
        "fragments": {
            "claims": fragment_key(
                "actor-page", actor.pk, request.get_full_path(), scope, translations.preference(request)
            )
        },
    }
    return render(request, "reader/actor.html", context)


@follows_former_slugs(Actor)
@require_safe
@cached_public_page(shared=True)
def actor_data(request, slug):
    """The actor, their stances per proposition in date order, and their changes of position, as JSON."""
    actor = _get_public_actor(slug)
    data = actor_document(actor, public.ActorPage(actor), request.build_absolute_uri)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _slug(value: str) -> str | None:
    return value if len(value) <= 80 and value.isascii() and value.replace("-", "").replace("_", "").isalnum() else None


@require_safe
@cached_public_page(reads={"actor": _slug, "page": page_number})
def changes(request):
    """Recent changes of position, newest first (by when the later claim was asserted); ``actor`` keeps one actor's."""
    slug = request.GET.get("actor")
    actor = get_object_or_404(Actor.objects.public(), slug=slug) if slug else None
    found = PositionChange.objects.public()
    if actor is not None:
        found = found.filter(actor=actor)
    page = SimpleLazyObject(lambda: Paginator(found, CHANGES_PER_PAGE).get_page(request.GET.get("page")))
    address, generation = request.get_full_path(), public_generation()
    context = {
        "actor": actor,
        "page": page,
        "fragments": {
            "title": fragment_key("changes-title", address, generation),
            "changes": fragment_key("changes", address, generation),
        },
    }
    return render(request, "reader/changes.html", context)


@require_safe
@cached_public_page
def source(request, pk):
    """The source text with its public claims highlighted, and its archived copy: fragments kept for the source's scope."""
    source = get_object_or_404(Source.objects.public(), pk=pk)
    archive = SimpleLazyObject(lambda: notices.archives_for([source.pk])[source.pk])

    def claims_with_notices():
        claims = public.source_claims(source)
        notices.attach_quote_checks(claims, {source.pk: archive})
        for claim in claims:
            claim.recheck_notice = notices.quote_notice(claim, archive)
        return claims

    claims = SimpleLazyObject(claims_with_notices)
    scope = scope_token("source", source.pk)
    context = {
        "source": source,
        "claims": claims,
        "archive": archive,
        "quote_counts": SimpleLazyObject(lambda: notices.quote_counts(claims)),
        "claim_count": cached_for_scope("source-claim-count", "source", source.pk, lambda: len(claims)),
        "summaries": SimpleLazyObject(lambda: translations.source_summaries(source)),
        **translations.translation_context(request, lambda: claims, back=request.path),
        "fragments": {
            "archive": fragment_key("source-archive", source.pk, scope),
            # Its claims' references name their absolute permanent addresses (reader/templatetags/cite.py).
            "text": fragment_key(
                "source",
                source.pk,
                request.build_absolute_uri(source.get_absolute_url()),
                scope,
                translations.preference(request),
            ),
        },
    }
    return render(request, "reader/source.html", context)


# Archived copies are served as files to save, never as pages of ours: a page's
# markup shown from our origin could run its scripts with our cookies.
DOWNLOAD_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
BODY_EXTENSIONS = {
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
    "application/xhtml+xml": "xhtml",
}


def _get_public_capture(source_pk: int, pk: int) -> tuple[Capture, Capture]:
    """A capture of a source readers may see, and the capture whose WARC keeps its page; else 404."""
    capture = get_object_or_404(
        Capture.objects.filter(source__in=Source.objects.public()).exclude(body_sha256="").defer("text"),
        source_id=source_pk,
        pk=pk,
    )
    copy = capture.archived_copy()
    if copy is None:
        raise Http404(gettext("No copy of this capture is kept."))
    return capture, copy


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response


def _capture_filename(capture: Capture, extension: str) -> str:
    """ASCII only: the source, the capture and the day it was retrieved (UTC)."""
    return f"source-{capture.source_id}-capture-{capture.pk}-{capture.retrieved_at:%Y-%m-%d}.{extension}"


@require_safe
def capture(request, source_pk, pk):
    """A capture as a WARC file (gzipped): the response exactly as received, with its headers and redirects."""
    capture, copy = _get_public_capture(source_pk, pk)
    return _download(bytes(copy.warc), "application/gzip", _capture_filename(capture, "warc.gz"))


@require_safe
def capture_body(request, source_pk, pk):
    """The captured page alone, as received, to save and open without WARC tools."""
    capture, copy = _get_public_capture(source_pk, pk)
    extension = BODY_EXTENSIONS.get(capture.content_type, "html")
    return _download(archived_body(copy), "application/octet-stream", _capture_filename(capture, extension))


@require_safe
@cached_public_page(reads={"q": None, "page": page_number})
def search(request):
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    query = parse_query(text)
    found = cached_find(text)
    page = Paginator(found.hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "query": text, "parsed": query, "every_term": found.every_term, "page": page}
    context["has_terms"] = bool(query)
    # Read only when the results fragment (kept per public data generation) has to be rendered.
    context["results"] = SimpleLazyObject(lambda: load_results(page.object_list))
    context["fragments"] = {"results": fragment_key("search-results", request.get_full_path(), public_generation())}
    return render(request, "reader/search.html", context)


@follows_former_slugs(Question)
@require_safe
@cached_public_page
def question(request, slug):
    question = get_object_or_404(Question.objects.public(), slug=slug)
    page = QuestionPage(question)
    permalink = request.build_absolute_uri(question.get_absolute_url())
    context = {
        "question": question,
        "page": page,
        "permalink": permalink,
        "fragments": {
            "answers": fragment_key(
                "question",
                question.pk,
                permalink,
                scope_token("question", question.pk),
                translations.preference(request),
            ),
        },
        **translations.translation_context(
            request, lambda: [answer.claim for answer in page.answers], back=request.path
        ),
    }
    return render(request, "reader/question.html", context)


def _questions_page(form, number):
    page = Paginator(form.filter(Question.objects.public()), QUESTIONS_PER_PAGE).get_page(number)
    page.object_list = attach_summaries(list(page.object_list))
    return page


@require_safe
@cached_public_page(
    reads={
        "actor": text(200),
        "source": text(500),
        "year": year,
        "disputed": one_of(*(value for value, _ in Disputed.CHOICES if value)),
        "sort": one_of(*(value for value, _ in QuestionSort.CHOICES)),
        "page": page_number,
    }
)
def question_list(request):
    """Every public question, disputed or not: the values its approved answers give, and whether they conflict."""
    form = SimpleLazyObject(lambda: QuestionFilterForm(request.GET))
    address, generation = request.get_full_path(), public_generation()
    context = {
        "form": form,
        "page": SimpleLazyObject(lambda: _questions_page(form, request.GET.get("page"))),
        "fragments": {
            "title": fragment_key("questions-title", address, generation),
            "page": fragment_key("questions", address, generation),
            "results": fragment_key("questions-results", address, generation),
        },
    }
    template = "reader/question_list.html#results" if request.htmx else "reader/question_list.html"
    return render(request, template, context)


@follows_former_slugs(Question)
@require_safe
@cached_public_page(shared=True)
def question_data(request, slug):
    question = get_object_or_404(Question.objects.public(), slug=slug)
    data = question_json(question, QuestionPage(question), request.build_absolute_uri)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


# ---------------------------------------------------------------------------
# Citations and the embeddable card


def _citation_download(records: list, extension: str, name: str) -> HttpResponse:
    """``records`` (reader.citations.Citation) as a file in the format named by ``extension``."""
    citation_format = citations.FORMATS[extension]
    response = HttpResponse(citation_format.write(records), content_type=citation_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@follows_former_slugs(Proposition)
@require_safe
def contradiction_citation(request, slug, extension):
    """The contradiction page as a BibTeX, RIS or CSL-JSON file, accessed today."""
    proposition = _get_public_proposition(slug)
    stances = public.citation_stances(proposition)
    citation = citations.contradiction_citation(
        proposition,
        stances,
        public.last_reviewed(proposition, stances),
        url=request.build_absolute_uri(proposition.get_absolute_url()),
        accessed=timezone.localdate(),
    )
    return _citation_download([citation], extension, proposition.slug)


@follows_former_slugs(Question)
@require_safe
def question_citation(request, slug, extension):
    """A disputed fact's page as a BibTeX, RIS or CSL-JSON file, accessed today."""
    question = get_object_or_404(Question.objects.public(), slug=slug)
    answers = public.citation_answers(question)
    reviewed = [at for at, _ in answers if at] + ([question.reviewed_at] if question.reviewed_at else [])
    citation = citations.question_citation(
        question,
        [name for _, name in answers],
        max(reviewed, default=None),
        url=request.build_absolute_uri(question.get_absolute_url()),
        accessed=timezone.localdate(),
    )
    return _citation_download([citation], extension, question.slug)


@require_safe
def claim_citation(request, pk, extension):
    """A public claim as a BibTeX, RIS or CSL-JSON file, accessed today."""
    claim = get_object_or_404(public.citation_claims(), pk=pk)
    url = request.build_absolute_uri(claim.get_absolute_url())
    citation = citations.claim_citation(claim, url=url, accessed=timezone.localdate())
    return _citation_download([citation], extension, f"claim-{claim.pk}")


@follows_former_slugs(Proposition)
@embeddable
@require_safe
@cached_public_page(shared=True)
def embed_contradiction(request, slug):
    """A compact card of a contradiction that other sites may frame: no script, no form, no cookie."""
    proposition = _get_public_proposition(slug)
    stances = (
        public.public_stances()
        .filter(proposition=proposition)
        .defer("claim__source__text")
        .order_by(F("claim__asserted_on").asc(nulls_last=True), "claim__source_id", "claim__start", "pk")
    )
    sides = embed_sides(stances)
    # The approved translations of the quotes shown, folded under each (the card has no preference: no cookie).
    translations.attach_translations([stance.claim for side in sides for stance in side.stances])
    context = {
        "proposition": proposition,
        "permalink": request.build_absolute_uri(proposition.get_absolute_url()),
        "sides": sides,
    }
    response = render(request, "reader/embed_contradiction.html", context)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _oembed_refusal(error: OEmbedError) -> HttpResponse:
    return HttpResponse(f"{error.message}\n", status=error.status, content_type="text/plain; charset=utf-8")


@require_safe
def oembed(request):
    """oEmbed for contradiction pages: ``?url=<page>&format=json``, with ``maxwidth`` and ``maxheight``."""
    if (request.GET.get("format") or "json") != "json":
        return _oembed_refusal(OEmbedError(501, "Only format=json is offered."))
    try:
        width = requested_size(request.GET.get("maxwidth"), "maxwidth", DEFAULT_WIDTH)
        height = requested_size(request.GET.get("maxheight"), "maxheight", DEFAULT_HEIGHT)
        slug = contradiction_slug(request.GET.get("url"), request.get_host())
        proposition = Proposition.objects.public().filter(slug=slug).first()
        if proposition is None and (current := current_public_slug(Proposition, slug)):
            proposition = Proposition.objects.public().filter(slug=current).first()
        if proposition is None:
            raise OEmbedError(404, "No public contradiction is at that address.")
    except OEmbedError as error:
        return _oembed_refusal(error)
    document = oembed_document(
        title=proposition.statement,
        embed_url=request.build_absolute_uri(reverse("reader:embed_contradiction", args=[proposition.slug])),
        site_url=request.build_absolute_uri(reverse("reader:home")),
        width=width,
        height=height,
    )
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
