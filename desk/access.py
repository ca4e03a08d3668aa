"""Who may enter the desk, and how refusals look.

Analysts, reviewers and administrators work here (``claims.roles.is_analyst``);
anyone else logged in gets a 403 that says why, anonymous visitors go to the
login page. Refusals are rendered as readable messages both as full pages and
as fragments for HTMX requests, which desk.js shows in the status region.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from claims.models import ReviewError
from claims.roles import is_analyst

NOT_AN_ANALYST = gettext_lazy(
    "The desk is for analysts and reviewers. Ask an administrator to add your account to the Analysts group."
)


def is_partial_request(request) -> bool:
    """An HTMX request for a fragment (a boosted navigation wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def refusal(request, message: str, *, status: int):
    """A page, or for HTMX a fragment, explaining why the request was refused."""
    template = "desk/refusal.html#message" if is_partial_request(request) else "desk/refusal.html"
    return render(request, template, {"message": message, "status": status}, status=status)


def analyst_required(view):
    """Let analysts, reviewers and admins through; turn 403s and 404s into readable messages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.htmx:  # send the whole page, not the fragment, to the login form
                page = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(redirect_to_login(page).url)
            return redirect_to_login(request.get_full_path())
        if not is_analyst(request.user):
            return refusal(request, NOT_AN_ANALYST, status=403)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return refusal(request, str(error) or gettext("You may not do this here."), status=403)
        except ReviewError as error:  # the record's state does not allow it now (someone else's draft, a race)
            return refusal(request, " ".join(error.messages), status=409)
        except Http404 as error:
            return refusal(request, str(error) or gettext("There is nothing at this address."), status=404)

    return wrapped
