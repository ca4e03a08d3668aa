"""/readyz: 200 only when the cache and the database this process uses both answer; /healthz stays the cheap floor."""

import sys
from unittest import mock

from django.db import OperationalError, connection
from django.test import TestCase, override_settings
from django.urls import reverse

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/15"}
}


class ReadinessTests(TestCase):
    def test_it_is_ready_when_the_cache_and_the_database_answer(self):
        response = self.client.get(reverse("readyz"))

        self.assertEqual((response.status_code, response.json()), (200, {"status": "ok"}))

    def test_it_is_never_cached(self):
        self.assertIn("no-cache", self.client.get(reverse("readyz"))["Cache-Control"])

    def test_it_only_answers_reads(self):
        self.assertEqual(self.client.post(reverse("readyz")).status_code, 405)

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_a_cache_that_does_not_answer_is_a_503_naming_it(self):
        with self.assertLogs("config.views", "ERROR"):
            response = self.client.get(reverse("readyz"))

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "unavailable", "problems": ["cache: ConnectionError"]})

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_redis_url_without_the_redis_package_is_a_503(self):
        with mock.patch.dict(sys.modules, {"redis": None}), self.assertLogs("config.views", "ERROR"):
            response = self.client.get(reverse("readyz"))

        self.assertEqual((response.status_code, response.json()["problems"]), (503, ["cache: ModuleNotFoundError"]))

    def test_a_database_that_does_not_answer_is_a_503_naming_it(self):
        with (
            mock.patch.object(connection, "cursor", side_effect=OperationalError("unable to open database file")),
            self.assertLogs("config.views", "ERROR"),
        ):
            response = self.client.get(reverse("readyz"))

        self.assertEqual((response.status_code, response.json()["problems"]), (503, ["database: OperationalError"]))

    def test_the_reason_does_not_show_the_error_details(self):
        with (
            mock.patch.object(connection, "cursor", side_effect=OperationalError("/srv/secret/path.sqlite3")),
            self.assertLogs("config.views", "ERROR"),
        ):
            response = self.client.get(reverse("readyz"))

        self.assertNotIn("secret", response.content.decode())
