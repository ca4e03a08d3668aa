"""RFC 9457 problem details: how the API says what went wrong.

Every 4xx and 5xx answer of the API is ``application/problem+json`` with
``type``, ``title``, ``status``, ``detail`` and ``instance`` (the path asked
for), and, when fields of the request are at fault, ``errors``: one entry per
field, with ``detail`` and where the field was (``pointer``, a JSON Pointer
into the body; ``parameter``, a query or path parameter; or ``header``).

``type`` is the address of the problem's description in ``/api/v1/problems``
for the problems this API names (PROBLEM_TYPES); otherwise ``about:blank``,
whose title is the HTTP status phrase.
"""

from dataclasses import dataclass
from http import HTTPStatus

from django.http import JsonResponse
from django.urls import reverse

PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    description: str


# The problems this API names, in /api/v1/problems (the ``type`` of each is its anchor there).
PROBLEM_TYPES = {
    problem.slug: problem
    for problem in (
        ProblemType(
            "invalid-request",
            "The request has invalid values",
            422,
            "One or more parameters or body fields are not valid; each is named in errors with why.",
        ),
        ProblemType(
            "malformed-body",
            "The body is not a JSON object",
            400,
            "The request body could not be read as JSON encoded in UTF-8. Send a JSON object with "
            "Content-Type: application/json.",
        ),
        ProblemType(
            "body-too-large",
            "The body is too large",
            413,
            "The request body is larger than the API accepts (settings.DATA_UPLOAD_MAX_MEMORY_SIZE).",
        ),
        ProblemType(
            "unreadable-input",
            "The request is not valid text",
            400,
            "A parameter or the declared character set is not valid text; nothing was read or saved.",
        ),
        ProblemType(
            "not-authenticated",
            "A valid token is needed",
            401,
            "The Authorization header is missing, malformed, or names a token that does not work (unknown, "
            "revoked, or of an account that is no longer an analyst's). Send Authorization: Bearer <token>.",
        ),
        ProblemType(
            "forbidden",
            "Not allowed",
            403,
            "The token works but may not do this: a read-only token writing, or a record that is someone else's draft.",
        ),
        ProblemType("not-found", "Not found", 404, "There is no public record, or nothing, at this address."),
        ProblemType(
            "duplicate",
            "It exists already",
            409,
            "The record would duplicate one that exists; existing says which.",
        ),
        ProblemType(
            "conflict",
            "The record's state does not allow it",
            409,
            "Another change came first (the record was edited or reviewed meanwhile), or the review "
            "rules do not allow this now; detail says which.",
        ),
        ProblemType(
            "rate-limited",
            "Too many requests",
            429,
            "This token or address made too many requests in the current window. Retry-After says how many "
            "seconds to wait.",
        ),
    )
}


def problem_type_uri(request, slug: str) -> str:
    return request.build_absolute_uri(f"{reverse('api:problems')}#{slug}")


def problem_response(
    request,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[dict] | None = None,
    headers: dict | None = None,
    **members,
) -> JsonResponse:
    """A problem details response; ``slug`` names one of PROBLEM_TYPES, else the type is about:blank."""
    if slug is not None:
        problem = PROBLEM_TYPES[slug]
        body = {"type": problem_type_uri(request, slug), "title": problem.title}
    else:
        body = {"type": "about:blank", "title": HTTPStatus(status).phrase}
    body |= {"status": status, "detail": detail, "instance": request.path}
    if errors:
        body["errors"] = errors
    body |= members
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_error(location: str, name: str, detail: str) -> dict:
    """One entry of ``errors``: a body field by JSON Pointer, a header by name, a parameter by name."""
    if location == "body":
        return {"pointer": "#/" + name.replace("~", "~0").replace("/", "~1"), "detail": detail}
    if location == "header":
        return {"header": name, "detail": detail}
    return {"parameter": name, "detail": detail}


def is_problem(response) -> bool:
    return response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)


class InvalidRequest(Exception):
    """Parameters or fields the API refuses: a 422 naming each as (location, name, why)."""

    def __init__(self, errors: list[tuple[str, str, str]]):
        super().__init__(errors)
        self.errors = errors
