from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.caching import cached_public_page
from search.forms import SearchForm
from search.query import cached_search, load_results, terms

RESULTS_PER_PAGE = 20


@require_safe
@cached_public_page
def results(request):
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(cached_search(text), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "query": text, "has_terms": bool(terms(text)), "page": page}
    context["results"] = load_results(page.object_list)
    return render(request, "search/results.html", context)
