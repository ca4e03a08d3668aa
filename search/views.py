from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.caching import cached_public_page
from search.forms import SearchForm
from search.query import cached_find, load_results, parse_query

RESULTS_PER_PAGE = 20


@require_safe
@cached_public_page
def results(request):
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    query = parse_query(text)
    found = cached_find(text)
    page = Paginator(found.hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "query": text, "parsed": query, "every_term": found.every_term, "page": page}
    context["has_terms"] = bool(query)
    context["results"] = load_results(page.object_list)
    return render(request, "search/results.html", context)
