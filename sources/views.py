from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from claims.caching import cached_for_scope, cached_public_page, fragment_cache_context, scope_token
from claims.public import source_claims
from sources.models import Source


@require_safe
@cached_public_page
def source_detail(request, pk):
    """The source text with its public claims highlighted: a fragment kept for the source's scope."""
    source = get_object_or_404(Source.objects.public(), pk=pk)
    claims = SimpleLazyObject(lambda: source_claims(source))
    context = {
        "source": source,
        "claims": claims,
        "claim_count": cached_for_scope("source-claim-count", "source", source.pk, lambda: len(claims)),
        "scope": scope_token("source", source.pk),
        **fragment_cache_context(),
    }
    return render(request, "sources/detail.html", context)
