"""The webhook settings: read from the environment, with safe defaults, refused when unreadable."""

from django.test import SimpleTestCase

from tests.test_settings import PRINT_SETTINGS, production_environment, read_settings, run_python

NAMES = ["WEBHOOK_SITE_URL", "WEBHOOK_ALLOW_PRIVATE", "WEBHOOK_MAX_ATTEMPTS", "WEBHOOK_RETRY_BASE_SECONDS", "TASKS"]


class WebhookSettingsTests(SimpleTestCase):
    def refusal(self, **overrides: str) -> str:
        result = run_python("-c", PRINT_SETTINGS.format(names=NAMES), environment=production_environment(**overrides))
        self.assertNotEqual(result.returncode, 0)
        return result.stderr

    def test_production_defaults(self):
        found = read_settings(*NAMES, DJANGO_ALLOWED_HOSTS="claims.example.org")

        self.assertEqual(found["WEBHOOK_SITE_URL"], "https://claims.example.org")
        self.assertFalse(found["WEBHOOK_ALLOW_PRIVATE"])
        self.assertEqual((found["WEBHOOK_MAX_ATTEMPTS"], found["WEBHOOK_RETRY_BASE_SECONDS"]), (10, 60))
        self.assertEqual(found["TASKS"]["default"]["BACKEND"], "django_tasks_db.DatabaseBackend")

    def test_the_site_address_is_read_from_the_environment(self):
        found = read_settings("WEBHOOK_SITE_URL", WEBHOOK_SITE_URL="https://tracker.example.net/claims")

        self.assertEqual(found["WEBHOOK_SITE_URL"], "https://tracker.example.net/claims")

    def test_a_site_address_that_is_not_http_is_refused(self):
        self.assertIn(
            "WEBHOOK_SITE_URL must be an http:// or https:// address; got 'claims.org'",
            self.refusal(WEBHOOK_SITE_URL="claims.org"),
        )

    def test_at_least_one_attempt(self):
        self.assertIn("WEBHOOK_MAX_ATTEMPTS must be at least 1; got 0", self.refusal(WEBHOOK_MAX_ATTEMPTS="0"))
