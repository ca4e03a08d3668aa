"""The public reader pages: home, contradictions, one contradiction (HTML and JSON), actors.

Every page shows approved records only (see claims.public) and is cached for
anonymous readers (see claims.caching).
"""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims import public
from claims.caching import cached_public_page, fragment_cache_context
from claims.models import Actor, Proposition
from claims.public_json import contradiction_json, contradiction_json_ld

CONTRADICTIONS_PER_PAGE = 20
LATEST_ON_HOME = 8


def _get_public_proposition(slug: str) -> Proposition:
    return get_object_or_404(Proposition.objects.public(), slug=slug)


def _get_public_actor(slug: str) -> Actor:
    affiliation_is_public = Exists(Actor.objects.public().filter(pk=OuterRef("affiliation")))
    actors = Actor.objects.public().select_related("affiliation").annotate(affiliation_is_public=affiliation_is_public)
    return get_object_or_404(actors, slug=slug)


@require_safe
@cached_public_page
def home(request):
    contradictions = public.attach_side_actors(Proposition.objects.contradictions()[:LATEST_ON_HOME])
    return render(request, "claims/home.html", {"contradictions": contradictions, "counts": public.counts()})


@require_safe
@cached_public_page
def contradiction_list(request):
    form = public.ContradictionFilterForm(request.GET)
    contradictions = form.filter(Proposition.objects.contradictions())
    page = Paginator(contradictions, CONTRADICTIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = public.attach_side_actors(page.object_list)
    template = "claims/contradiction_list.html#results" if request.htmx else "claims/contradiction_list.html"
    return render(request, template, {"form": form, "page": page})


@require_safe
@cached_public_page
def contradiction(request, slug):
    proposition = _get_public_proposition(slug)
    stances = public.contradiction_stances(proposition)
    last_reviewed = public.last_reviewed(proposition, stances)
    context = {
        "proposition": proposition,
        "permalink": request.build_absolute_uri(proposition.get_absolute_url()),
        "stances": stances,
        "columns": public.side_columns(stances),
        "related": public.related_contradictions(proposition, stances),
        "last_reviewed": last_reviewed,
        "json_ld": contradiction_json_ld(proposition, stances, last_reviewed, request.build_absolute_uri),
    }
    return render(request, "claims/contradiction.html", context)


@require_safe
@cached_public_page(shared=True)
def contradiction_data(request, slug):
    proposition = _get_public_proposition(slug)
    stances = public.contradiction_stances(proposition)
    last_reviewed = public.last_reviewed(proposition, stances)
    data = contradiction_json(proposition, stances, last_reviewed, request.build_absolute_uri)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
@cached_public_page
def actor(request, slug):
    actor = _get_public_actor(slug)
    context = {"actor": actor, "actor_page": public.ActorPage(actor), **fragment_cache_context()}
    return render(request, "claims/actor.html", context)
