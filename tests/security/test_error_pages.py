"""Every response denies powerful browser features; the CSRF refusal and the 400 page are the site's own.

The CSRF refusal would otherwise be Django's page, styled inline (which the
CSP blocks); the 400 page must render for a Host we do not serve, whose
``request.get_host()`` raises DisallowedHost, or that request answers 500.
"""

from django.test import Client, override_settings
from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "display-capture"]


def features(header: str) -> dict[str, str]:
    """``camera=(), fullscreen=(self)`` as ``{"camera": "()", "fullscreen": "(self)"}``."""
    return dict(part.strip().split("=", 1) for part in header.split(","))


def assert_no_inline_style(testcase, html: str) -> None:
    testcase.assertNotIn("<style", html)
    testcase.assertNotIn("style=", html)


class PermissionsPolicyTests(BaseTestCase):
    def test_every_kind_of_response_denies_powerful_features(self):
        client = Client(raise_request_exception=False)
        self.client.force_login(self.analyst)
        responses = {
            "public page": client.get(reverse("reader:home")),
            "not found": client.get("/no-such-page/"),
            "login": client.get(reverse("login")),
            "admin": self.client.get(reverse("admin:index")),
            "desk": self.client.get(reverse("desk:home")),
            "healthz": client.get(reverse("healthz")),
            "static file": client.get("/static/css/site.css"),
        }

        for name, response in responses.items():
            with self.subTest(name):
                policy = features(response.headers.get("Permissions-Policy", ""))
                self.assertEqual({feature: policy.get(feature) for feature in DENIED}, dict.fromkeys(DENIED, "()"))

    def test_a_cached_page_carries_it_too(self):
        self.client.get(reverse("reader:home"))

        response = self.client.get(reverse("reader:home"))

        self.assertTrue(response.has_header("ETag"))
        self.assertEqual(features(response["Permissions-Policy"])["camera"], "()")


class CsrfFailureTests(BaseTestCase):
    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def test_a_form_without_its_token_gets_the_sites_own_page(self):
        response = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

        self.assertEqual(response.status_code, 403)
        self.assertTemplateUsed(response, "403_csrf.html")
        self.assertTemplateUsed(response, "base.html")
        self.assertContains(
            response, "Your form expired or came from another site, so nothing was saved.", status_code=403
        )
        self.assertContains(response, "What you typed could not be kept", status_code=403)

    def test_the_page_has_no_inline_style(self):
        response = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

        assert_no_inline_style(self, response.content.decode())
        self.assertIn("style-src 'self'", response["Content-Security-Policy"])

    def test_the_desk_shows_the_message_in_its_status_region(self):
        self.client.force_login(self.analyst)

        response = self.client.post(reverse("desk:propositions"), {"statement": "x"}, HTTP_HX_REQUEST="true")

        self.assertContains(response, "data-desk-error", status_code=403)

    @override_settings(DEBUG=False)
    def test_the_reason_is_not_shown_in_production(self):
        response = self.client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

        self.assertNotContains(response, "CSRF cookie not set", status_code=403)


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
class DisallowedHostTests(BaseTestCase):
    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def test_a_host_we_do_not_serve_gets_400_not_500(self):
        response = self.client.get(reverse("reader:home"), HTTP_HOST="evil.com")

        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "400.html")
        self.assertContains(response, "This request could not be read", status_code=400)

    def test_the_400_page_names_no_host(self):
        response = self.client.get(reverse("reader:home"), HTTP_HOST="evil.com")

        self.assertNotContains(response, "evil.com", status_code=400)
        self.assertNotContains(response, "og:image", status_code=400)

    def test_other_pages_still_link_their_card_with_our_host(self):
        response = self.client.get(reverse("reader:home"))

        self.assertContains(response, '<meta property="og:image" content="http://testserver/static/')
