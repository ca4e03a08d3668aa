from django.urls import reverse

from tests.base import BaseTestCase


class HealthzTests(BaseTestCase):
    def test_it_answers_ok_in_plain_text(self):
        response = self.client.get(reverse("healthz"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(response.content, b"ok")

    def test_it_touches_no_database(self):
        with self.assertNumQueries(0):
            self.client.get(reverse("healthz"))

    def test_it_passes_through_the_middleware_stack(self):
        response = self.client.get(reverse("healthz"))
        self.assertIn("Content-Security-Policy", response)
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_it_is_never_cached(self):
        response = self.client.get(reverse("healthz"))
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_refuses_post(self):
        self.client.force_login(self.analyst)
        self.assertEqual(self.client.post(reverse("healthz")).status_code, 405)

    def test_it_answers_logged_in_users_too(self):
        self.client.force_login(self.analyst)
        self.assertEqual(self.client.get(reverse("healthz")).status_code, 200)
