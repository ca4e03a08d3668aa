"""Views that belong to the deployment rather than to any app."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request):
    """Liveness for load balancers and the benchmark's framework floor.

    The request passes through the whole middleware stack, as every page's
    does, and touches nothing else: no database, no cache, no template.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def readyz(request):
    """Readiness: the cache and the database this process uses both answer, or 503 saying which does not.

    Unlike /healthz, this touches both, so a worker whose cache client cannot
    even be built (REDIS_URL without the redis package) is taken out of rotation.
    The reason names the failing part and the kind of error only; details go to the log.
    """
    problems = [problem for problem in (_cache_problem(), _database_problem()) if problem]
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


def _cache_problem() -> str | None:
    key, token = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as error:
        logger.exception("Readiness: the cache failed")
        return f"cache: {type(error).__name__}"
    return None if answered == token else "cache: a value written was not read back"


def _database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.exception("Readiness: the database failed")
        return f"database: {type(error).__name__}"
    return None


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links: the site's icon.

    A temporary redirect, because the icon's static address changes with its content.
    """
    return redirect(static("img/favicon.svg"))
