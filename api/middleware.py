"""What every request to the API passes through, whichever view answers: rate limits and problem details.

Ninja's own errors become problem details in ``api.endpoints``; this turns the
rest into them too: Django's 404 for an address the API does not have, the 405
for a method a path does not take, the input checks' 400
(``config.middleware.RefuseUndecodableInputMiddleware``, whose message it keeps)
and a 500.
"""

from functools import cache
from http import HTTPStatus

from django.urls import reverse

from api import limits
from api.problems import is_problem, problem_response

# Headers an error keeps when its body is replaced by problem details.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
SLUG_FOR_STATUS = {400: "unreadable-input", 404: "not-found", 413: "body-too-large"}


@cache
def api_prefix() -> str:
    return reverse("api:root")


def default_detail(response) -> str:
    status = response.status_code
    if status == 404:
        return "There is nothing at this address in the API. Its addresses are listed at /api/v1/docs."
    if status == 405:
        return f"This address does not take this method; it takes {response.get('Allow', 'none')}."
    if status >= 500:
        return "Something went wrong on our side; it was logged. Try again later."
    return HTTPStatus(status).description


def as_problem(request, response):
    """``response`` (a 4xx or 5xx that is not problem details yet) as problem details, with its headers."""
    status = response.status_code
    detail = getattr(response, "refusal_message", None) or default_detail(response)
    slug = SLUG_FOR_STATUS.get(status) if status != 400 or hasattr(response, "refusal_message") else None
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    return problem_response(request, status, detail, slug=slug, headers=headers)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(api_prefix()):  # both with the script prefix
            return self.get_response(request)
        if wait := limits.refuse_before(request):
            return problem_response(
                request,
                429,
                f"Too many requests from this token or address: wait {wait} seconds.",
                slug="rate-limited",
                headers={"Retry-After": str(wait)},
            )
        response = self.get_response(request)
        if response.status_code == 401 and "Authorization" in request.headers:
            limits.count_failed_authentication(request)
        if response.status_code >= 400 and not is_problem(response):
            response = as_problem(request, response)
        return response
