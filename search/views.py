from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from claims.caching import cached_public_page, fragment_cache_context
from search.forms import SearchForm
from search.query import cached_find, load_results, parse_query

RESULTS_PER_PAGE = 20


@require_safe
@cached_public_page(reads=("q", "page"))
def results(request):
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    query = parse_query(text)
    found = cached_find(text)
    page = Paginator(found.hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "query": text, "parsed": query, "every_term": found.every_term, "page": page}
    context["has_terms"] = bool(query)
    # Read only when the results fragment (kept per public data generation) has to be rendered.
    context["results"] = SimpleLazyObject(lambda: load_results(page.object_list))
    context |= fragment_cache_context()
    return render(request, "search/results.html", context)
