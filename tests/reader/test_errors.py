from django.template.loader import render_to_string
from django.test import SimpleTestCase, override_settings

from tests.reader.builders import ReaderTestCase


class NotFoundPageTest(ReaderTestCase):
    def test_it_explains_and_offers_a_way_on(self):
        response = self.client.get("/no-such-page/")

        self.assertContains(response, "There is nothing public at this address", status_code=404)
        self.assertContains(response, '<form class="big-search" role="search"', status_code=404)
        self.assertContains(response, "<title>Not found — Claim Tracker</title>", status_code=404)


class ServerErrorPageTest(SimpleTestCase):
    @override_settings(ROOT_URLCONF="tests.reader.test_errors")  # it must not depend on URLs resolving
    def test_it_renders_without_a_request_or_urls(self):
        html = render_to_string("500.html")

        self.assertIn("Something went wrong on our side", html)
        self.assertIn('<a href="/">the home page</a>', html)


urlpatterns = []
