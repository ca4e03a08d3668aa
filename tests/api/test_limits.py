"""Rate limits: per address without a token, per token with one, and per address for failed authentications."""

from unittest import mock

from django.test import override_settings

from tests.api.base import ApiTestCase, token_for


@override_settings(API_RATE_LIMIT_ANONYMOUS=3, API_RATE_LIMIT_TOKEN=2, API_RATE_LIMIT_FAILED_AUTH=2)
class RateLimitTests(ApiTestCase):
    def get_from(self, address: str, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get("/api/v1/claims", headers=headers, REMOTE_ADDR=address)

    def test_an_address_over_its_limit_gets_429_with_retry_after(self):
        for _ in range(3):
            self.assertEqual(self.get_from("203.0.113.5").status_code, 200)
        response = self.get_from("203.0.113.5")
        self.assertProblem(response, 429, slug="rate-limited")
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        self.assertEqual(self.get_from("203.0.113.6").status_code, 200)

    def test_the_window_passes(self):
        with mock.patch("api.limits.time.time", return_value=1_000_000_000.0):
            for _ in range(3):
                self.get_from("203.0.113.5")
            self.assertEqual(self.get_from("203.0.113.5").status_code, 429)
        with mock.patch("api.limits.time.time", return_value=1_000_000_060.0):
            self.assertEqual(self.get_from("203.0.113.5").status_code, 200)

    def test_a_token_counts_apart_from_its_address(self):
        first, second = token_for(self.analyst), token_for(self.analyst)
        for _ in range(2):
            self.assertEqual(self.get_from("203.0.113.5", first).status_code, 200)
        self.assertProblem(self.get_from("203.0.113.5", first), 429)
        self.assertEqual(self.get_from("203.0.113.5", second).status_code, 200)
        self.assertEqual(self.get_from("203.0.113.5").status_code, 200)

    def test_failed_authentications_stop_an_address_guessing_tokens(self):
        good = token_for(self.analyst)
        for n in range(2):
            self.assertEqual(self.get_from("203.0.113.5", f"ctk_guess{n}").status_code, 401)
        self.assertProblem(self.get_from("203.0.113.5", "ctk_guess3"), 429)
        self.assertProblem(self.get_from("203.0.113.5", good), 429)
        self.assertEqual(self.get_from("198.51.100.7", good).status_code, 200)

    def test_limits_count_writes_and_unknown_addresses_too(self):
        for _ in range(3):
            self.client.get("/api/v1/nowhere", REMOTE_ADDR="203.0.113.5")
        self.assertProblem(self.client.post("/api/v1/propositions", REMOTE_ADDR="203.0.113.5"), 429)
