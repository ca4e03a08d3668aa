from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.caching import cached_public_page
from claims.public import source_claims
from sources.models import Source


@require_safe
@cached_public_page
def source_detail(request, pk):
    source = get_object_or_404(Source.objects.public(), pk=pk)
    return render(request, "sources/detail.html", {"source": source, "claims": source_claims(source)})
