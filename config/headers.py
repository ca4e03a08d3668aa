"""Response headers Django's own middleware does not set."""

from django.conf import settings


def permissions_policy_header(policy: dict[str, tuple[str, ...]]) -> str:
    """``{"camera": (), "fullscreen": ("self",)}`` as ``camera=(), fullscreen=(self)``: nothing allowed denies everywhere."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) with every response, static files and errors included.

    Nothing on the site uses a camera, a microphone, the location, payments or
    any other powerful feature, so a page that was made to run someone else's
    script still could not ask for them, nor could a page that frames ours.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
