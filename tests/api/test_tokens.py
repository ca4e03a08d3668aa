"""Personal API tokens: made at the desk and shown once, stored hashed, used, revoked, and lost with the role."""

import hashlib
import re

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from api.forms import MAX_ACTIVE_TOKENS
from api.models import ApiToken, TokenScope
from claims.roles import ANALYSTS
from tests.api.base import ApiTestCase, token_for

PAGE = reverse("tokens:list")
SECRET = re.compile(r'id="new-token-secret" class="token-secret" value="(ctk_[A-Za-z0-9_-]+)"')


class TokenPageTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.analyst)

    def create(self, name="My script", scope=TokenScope.WRITE):
        response = self.client.post(PAGE, {"name": name, "scope": scope})
        self.assertEqual(response.status_code, 201)
        return response, SECRET.search(response.content.decode()).group(1)

    def test_the_desk_navigation_links_to_it(self):
        self.assertContains(self.client.get(reverse("desk:home")), f'href="{PAGE}"')

    def test_the_secret_is_shown_once_and_only_its_hash_is_kept(self):
        response, secret = self.create()
        token = ApiToken.objects.get()
        self.assertEqual(token.digest, hashlib.sha256(secret.encode()).hexdigest())
        self.assertEqual(token.shown, secret[:12])
        self.assertEqual((token.user, token.scope, token.name), (self.analyst, TokenScope.WRITE, "My script"))
        self.assertIn("no-store", response["Cache-Control"])
        stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get()]
        self.assertFalse(any(secret in value for value in stored))
        again = self.client.get(PAGE)
        self.assertNotContains(again, secret)
        self.assertContains(again, f"{token.shown}…")

    def test_the_secret_works_for_the_api_and_its_use_is_noted(self):
        _, secret = self.create()
        self.client.logout()
        self.assertEqual(self.api("claims", token=secret).status_code, 200)
        self.assertIsNotNone(ApiToken.objects.get().last_used_at)

    def test_a_revoked_token_stops_working(self):
        _, secret = self.create()
        token = ApiToken.objects.get()
        response = self.client.post(reverse("tokens:revoke", args=[token.pk]))
        self.assertRedirects(response, PAGE)
        self.assertIsNotNone(ApiToken.objects.get().revoked_at)
        problem = self.assertProblem(self.api("claims", token=secret), 401, slug="not-authenticated")
        self.assertIn("revoked", problem["detail"])

    def test_nobody_revokes_someone_elses_token(self):
        token_for(self.other_analyst)
        other = ApiToken.objects.get(user=self.other_analyst)
        self.assertEqual(self.client.post(reverse("tokens:revoke", args=[other.pk])).status_code, 404)
        self.assertIsNone(ApiToken.objects.get(pk=other.pk).revoked_at)
        self.assertNotContains(self.client.get(PAGE), other.shown)

    def test_only_analysts_have_the_page(self):
        outsider = Client()
        outsider.force_login(self.outsider)
        self.assertEqual(outsider.get(PAGE).status_code, 403)
        self.assertEqual(outsider.post(PAGE, {"name": "x", "scope": "read"}).status_code, 403)
        self.assertFalse(ApiToken.objects.exists())
        self.assertRedirects(Client().get(PAGE), f"{reverse('login')}?next={PAGE}")

    def test_forms_need_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.analyst)
        self.assertEqual(client.post(PAGE, {"name": "x", "scope": "read"}).status_code, 403)
        token_for(self.analyst)
        token = ApiToken.objects.get()
        self.assertEqual(client.post(reverse("tokens:revoke", args=[token.pk])).status_code, 403)
        self.assertFalse(ApiToken.objects.filter(name="x").exists())
        self.assertIsNone(ApiToken.objects.get().revoked_at)

    def test_a_name_is_required_and_tokens_are_limited(self):
        self.assertEqual(self.client.post(PAGE, {"name": "", "scope": "read"}).status_code, 422)
        for n in range(MAX_ACTIVE_TOKENS):
            token_for(self.analyst, name=f"t{n}")
        response = self.client.post(PAGE, {"name": "one more", "scope": "read"})
        self.assertContains(response, "revoke one you no longer use first", status_code=422)


class TokenAuthenticationTests(ApiTestCase):
    def test_a_token_stops_working_when_its_account_loses_the_analyst_role(self):
        secret = token_for(self.analyst)
        self.assertEqual(self.api("claims", token=secret).status_code, 200)
        self.analyst.groups.remove(Group.objects.get(name=ANALYSTS))
        problem = self.assertProblem(self.api("claims", token=secret), 401)
        self.assertIn("no longer an analyst", problem["detail"])

    def test_a_token_of_an_inactive_account_does_not_work(self):
        secret = token_for(self.reviewer)
        self.reviewer.is_active = False
        self.reviewer.save()
        self.assertProblem(self.api("claims", token=secret), 401)

    def test_unknown_and_malformed_credentials_are_refused_with_a_challenge(self):
        for header in ("Bearer ctk_not-a-token", "Bearer", "Token abc", "Basic YTpi"):
            with self.subTest(header=header):
                response = self.client.get("/api/v1/claims", headers={"Authorization": header})
                self.assertProblem(response, 401, slug="not-authenticated")
                self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')

    def test_its_last_use_is_written_at_most_once_a_minute(self):
        secret = token_for(self.analyst)
        self.api("claims", token=secret)
        first = ApiToken.objects.get().last_used_at
        self.api("claims", token=secret)
        self.assertEqual(ApiToken.objects.get().last_used_at, first)
