"""Error pages that Django would otherwise render with its own templates."""

from django.conf import settings
from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check, in the site's own page (settings.CSRF_FAILURE_VIEW).

    Django's own page styles itself inline, which our Content Security Policy
    refuses, so it would show unstyled. Why the check failed is shown only
    when debugging, as Django does.
    """
    return render(request, "403_csrf.html", {"reason": reason if settings.DEBUG else ""}, status=403)
