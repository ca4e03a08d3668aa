"""Who a request to the API acts for: nobody (a reader), or the analyst whose token it sends.

Reading needs no token; a request that sends one must send one that works,
so a script learns at once that its token was revoked rather than quietly
reading as a reader. Writing needs a token with the read-and-write scope.
Refusals are problem details (``api.endpoints``): 401 for credentials that do not
work, 403 for a token that works but may not write.
"""

from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from api.models import ApiToken


class NotAuthenticated(AuthenticationError):
    def __init__(self, message: str):
        super().__init__(401, message)


class Reader:
    """A request without a token: it reads what readers read, as a reader."""

    user = None

    def __bool__(self):
        return True  # ninja treats a falsy result as a failed authentication


READER = Reader()


def token_from(request) -> ApiToken | None:
    """The token a request sends, if it sends one; raises NotAuthenticated if it does not work."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise NotAuthenticated("Send a token as the header Authorization: Bearer <token>.")
    token = ApiToken.find(secret)
    if token is None:
        raise NotAuthenticated(
            "No token has this secret. Tokens are made, and shown once, at the desk (/desk/tokens/)."
        )
    if refusal := token.refusal():
        raise NotAuthenticated(refusal)
    token.record_use()
    return token


class TokenAuth(HttpBearer):
    """A personal API token, sent as ``Authorization: Bearer <token>``; see ``write`` for when one is needed."""

    openapi_description = (
        "A personal API token, made at the desk (/desk/tokens/) and shown once. Reading needs none; writing "
        "needs one with the read-and-write scope."
    )

    def __init__(self, *, write: bool):
        self.write = write
        super().__init__()

    def __call__(self, request):
        token = token_from(request)
        if token is None:
            if self.write:
                raise NotAuthenticated(
                    "Writing needs a token with the read-and-write scope: Authorization: Bearer <token>."
                )
            return READER
        if self.write and not token.may_write:
            raise AuthorizationError(403, "This token may only read. Make a read-and-write token at the desk to write.")
        return token

    def authenticate(self, request, token):  # __call__ does the work; HttpBearer requires the method
        raise NotImplementedError


READ = TokenAuth(write=False)
WRITE = TokenAuth(write=True)
