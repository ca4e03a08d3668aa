"""Views that belong to the deployment rather than to any app."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """Liveness for load balancers and the benchmark's framework floor.

    The request passes through the whole middleware stack, as every page's
    does, and touches nothing else: no database, no cache, no template.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
