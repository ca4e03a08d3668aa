"""Views that belong to the deployment rather than to any app."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """Liveness for load balancers and the benchmark's framework floor.

    The request passes through the whole middleware stack, as every page's
    does, and touches nothing else: no database, no cache, no template.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links: the site's icon.

    A temporary redirect, because the icon's static address changes with its content.
    """
    return redirect(static("img/favicon.svg"))
