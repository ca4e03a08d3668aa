"""The desk's page of personal API tokens: make one (its secret shown once), see when each was used, revoke.

Analysts only (``desk.access.analyst_required``), each seeing their own tokens.
The secret is shown in the answer to the form that made the token and kept
nowhere: not in the session, not in a message, not in a cache.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import TokenForm
from api.models import ApiToken
from desk.access import analyst_required


def _tokens_page(request, form, *, created=None, secret="", status=200):
    tokens = ApiToken.objects.of(request.user).order_by("revoked_at", "-created_at", "-pk")
    context = {"form": form, "tokens": tokens, "created": created, "secret": secret}
    return render(request, "desk/tokens.html", context, status=status)


@analyst_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request):
    if request.method != "POST":
        return _tokens_page(request, TokenForm(user=request.user))
    form = TokenForm(request.POST, user=request.user)
    if not form.is_valid():
        return _tokens_page(request, form, status=422)
    token, secret = ApiToken.issue(user=request.user, **form.cleaned_data)
    response = _tokens_page(request, TokenForm(user=request.user), created=token, secret=secret, status=201)
    add_never_cache_headers(response)  # the secret must not stay in any cache on the way
    return response


@analyst_required
@require_POST
def revoke(request, pk):
    token = ApiToken.objects.of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(gettext("There is no such token among yours."))
    token.revoke()
    messages.success(request, gettext("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens:list")
