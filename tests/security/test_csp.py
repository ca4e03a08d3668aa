"""Every response carries the strict Content Security Policy: nonce-based scripts, nothing inline, no framing."""

import re

from django.test import override_settings
from django.urls import reverse

from tests.base import BaseTestCase

NONCE = re.compile(r"'nonce-([^']+)'")


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


class CspTestCase(BaseTestCase):
    def get_policy(self, url: str, expected_status: int = 200) -> tuple[dict[str, list[str]], str]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, expected_status)
        self.assertIn("Content-Security-Policy", response.headers, f"{url} has no CSP header")
        return parse_policy(response.headers["Content-Security-Policy"]), response.content.decode()

    def assert_strict(self, policy: dict[str, list[str]]) -> None:
        every_value = [value for values in policy.values() for value in values]
        self.assertNotIn("'unsafe-inline'", every_value)
        self.assertNotIn("'unsafe-eval'", every_value)
        self.assertNotIn("*", every_value)
        self.assertEqual(policy["frame-ancestors"], ["'none'"])
        self.assertEqual(policy["object-src"], ["'none'"])
        self.assertEqual(policy["base-uri"], ["'none'"])
        self.assertEqual(policy["default-src"], ["'self'"])
        self.assertEqual({value for value in policy["script-src"] if not NONCE.fullmatch(value)}, {"'self'"})
        self.assertEqual(policy["style-src"], ["'self'"])

    def assert_scripts_are_allowed(self, policy: dict[str, list[str]], html: str, *, nonce_expected: bool) -> None:
        """Inline scripts need the header's per-request nonce; scripts from files need our own origin.

        Pages cached for anonymous readers are shared, so they carry no nonce
        (see reader.caching) and must not need one.
        """
        nonces = [NONCE.fullmatch(value).group(1) for value in policy["script-src"] if NONCE.fullmatch(value)]
        self.assertEqual(len(nonces), 1 if nonce_expected else 0)
        scripts = re.findall(r"<script\b[^>]*>", html)
        self.assertTrue(scripts)
        for script in scripts:
            source = re.search(r'\bsrc="([^"]*)"', script)
            if source:
                self.assertTrue(source.group(1).startswith("/static/"), script)
            elif re.search(r'\btype="application/(ld\+)?json"', script):
                continue  # a data block: browsers never run it
            else:
                self.assertTrue(nonces, f"an inline script on a page without a nonce: {script}")
            if "nonce=" in script:
                self.assertIn(f'nonce="{nonces[0]}"', script)


class PublicPageCspTests(CspTestCase):
    def test_the_home_page_has_the_strict_policy(self):
        policy, html = self.get_policy(reverse("reader:home"))

        self.assert_strict(policy)
        self.assert_scripts_are_allowed(policy, html, nonce_expected=False)

    def test_the_home_page_of_a_logged_in_user_has_the_strict_policy_of_the_cached_page(self):
        # A logged-in reader gets the cached page with their account links: no inline script, so no nonce.
        self.client.force_login(self.analyst)

        policy, html = self.get_policy(reverse("reader:home"))

        self.assert_strict(policy)
        self.assert_scripts_are_allowed(policy, html, nonce_expected=False)

    def test_a_contradiction_page_has_the_strict_policy(self):
        proposition = self.build_contradiction()

        policy, html = self.get_policy(proposition.get_absolute_url())

        self.assert_strict(policy)
        self.assert_scripts_are_allowed(policy, html, nonce_expected=False)

    def test_a_contradiction_page_for_a_reviewer_has_the_strict_policy_of_the_cached_page(self):
        proposition = self.build_contradiction()
        self.client.force_login(self.reviewer)

        policy, html = self.get_policy(proposition.get_absolute_url())

        self.assert_strict(policy)
        self.assert_scripts_are_allowed(policy, html, nonce_expected=False)

    def test_a_desk_page_is_nonce_based(self):
        self.client.force_login(self.analyst)

        policy, html = self.get_policy(reverse("desk:home"))

        self.assert_strict(policy)
        self.assert_scripts_are_allowed(policy, html, nonce_expected=True)

    def test_an_actor_page_has_the_strict_policy(self):
        self.build_contradiction()

        policy, _ = self.get_policy(self.pakistan.get_absolute_url())

        self.assert_strict(policy)

    def test_a_source_page_has_the_strict_policy(self):
        self.build_contradiction()

        policy, _ = self.get_policy(self.source.get_absolute_url())

        self.assert_strict(policy)

    def test_the_login_page_has_the_strict_policy(self):
        policy, html = self.get_policy(reverse("login"))

        self.assert_strict(policy)
        self.assert_scripts_are_allowed(policy, html, nonce_expected=True)

    def test_a_missing_page_has_the_strict_policy(self):
        policy, _ = self.get_policy("/contradictions/no-such-thing/", expected_status=404)

        self.assert_strict(policy)

    @override_settings(DEBUG=False)
    def test_an_unknown_address_has_the_strict_policy(self):
        policy, _ = self.get_policy("/no/such/address/", expected_status=404)

        self.assert_strict(policy)

    def test_a_refused_method_has_the_strict_policy(self):
        response = self.client.post(reverse("reader:home"))

        self.assertEqual(response.status_code, 405)
        self.assert_strict(parse_policy(response.headers["Content-Security-Policy"]))

    def test_each_response_gets_a_new_nonce(self):
        first, _ = self.get_policy(reverse("login"))
        second, _ = self.get_policy(reverse("login"))

        self.assertNotEqual(first["script-src"], second["script-src"])


class AdminCspTests(CspTestCase):
    def test_the_admin_login_has_the_strict_policy(self):
        policy, _ = self.get_policy(reverse("admin:login"))

        self.assert_strict(policy)

    def test_the_admin_index_has_the_strict_policy(self):
        self.client.force_login(self.admin)

        policy, html = self.get_policy(reverse("admin:index"))

        self.assert_strict(policy)
        # The admin loads its scripts from static files, never inline.
        self.assertEqual(re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html), [])

    def test_an_admin_change_form_has_the_strict_policy(self):
        self.client.force_login(self.admin)

        policy, html = self.get_policy(reverse("admin:auth_user_change", args=[self.analyst.pk]))

        self.assert_strict(policy)
        self.assertEqual(re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html), [])


class OtherHeaderTests(CspTestCase):
    def test_framing_is_refused_by_the_older_header_too(self):
        response = self.client.get(reverse("reader:home"))

        self.assertEqual(response.headers["X-Frame-Options"], "DENY")
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response.headers["Referrer-Policy"], "same-origin")
