"""The interactive documentation, served from our own origin under the site's Content Security Policy.

Swagger UI is vendored in static/vendor/swagger-ui/ (with its licence) and
started by static/js/api-docs.js, which reads the schema's address from the
page: no CDN, no inline script or style.
"""

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class OwnOriginSwagger(DocsBase):
    def render_page(self, request, api, **kwargs):
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)
