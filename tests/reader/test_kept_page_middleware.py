"""A kept public page, to a reader who sends no cookie, is answered before the rest of the middleware."""

from unittest import mock

from django.test import override_settings

from reader import caching
from reader.middleware import served_key
from tests.base import PASSWORD
from tests.reader.builders import ReaderTestCase

QUOTE = "they are not responsible for Pakistan’s internal security issues"


class KeptPageMiddlewareTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.proposition.get_absolute_url()

    def kept(self, request):
        """The finished response kept for this request, for the current generation, or None."""
        return caching.near_pages.get(served_key(request), caching.public_generation())

    def views_reached(self, *requests):
        """How many of ``requests`` (callables) reached the page cache's view wrapper, and their responses."""
        with mock.patch.object(caching, "_current_page", wraps=caching._current_page) as reached:
            responses = [request() for request in requests]
        return reached.call_count, responses

    def test_a_second_cookieless_request_is_answered_with_the_first_response_whole(self):
        first = self.client.get(self.url)
        self.assertIsNotNone(self.kept(first.wsgi_request))

        reached, [second] = self.views_reached(lambda: self.client.get(self.url))

        self.assertEqual(reached, 0)
        self.assertEqual(second.status_code, 200)
        self.assertEqual(second.content, first.content)
        self.assertEqual(list(second.items()), list(first.items()))
        for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "ETag", "Vary"):
            self.assertTrue(second.has_header(header), header)

    def test_an_approval_reaches_the_next_request(self):
        self.client.get(self.url)
        self.client.get(self.url)
        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, QUOTE, self.taliban, self.proposition, "disputes")

        self.assertContains(self.client.get(self.url), QUOTE)

    def test_a_withdrawal_reaches_the_next_request(self):
        stance = self.proposition.stances.get(side="disputes")
        self.client.get(self.url)
        self.assertContains(self.client.get(self.url), "they do not provide support")
        with self.captureOnCommitCallbacks(execute=True):
            stance.claim.return_to_draft(self.reviewer, reason="Misattributed")

        self.assertNotContains(self.client.get(self.url), "they do not provide support")

    def test_a_request_with_any_cookie_goes_the_usual_way(self):
        self.client.get(self.url)
        self.client.cookies["anything"] = "1"

        reached, [response] = self.views_reached(lambda: self.client.get(self.url))

        self.assertEqual(reached, 1)
        self.assertEqual(response.status_code, 200)

    def test_a_logged_in_reader_never_gets_the_anonymous_response(self):
        self.client.get(self.url)
        self.client.get(self.url)
        self.client.login(username=self.analyst.username, password=PASSWORD)

        response = self.client.get(self.url)

        self.assertContains(response, "Log out")
        self.assertNotContains(response, ">Log in<")

    def test_a_conditional_request_is_answered_304_the_usual_way(self):
        etag = self.client.get(self.url)["ETag"]
        self.client.get(self.url)

        reached, [response] = self.views_reached(lambda: self.client.get(self.url, headers={"If-None-Match": etag}))

        self.assertEqual(reached, 1)
        self.assertEqual(response.status_code, 304)

    def test_parameters_the_view_does_not_read_are_never_kept_here(self):
        url = f"{self.url}?utm_source=mail"
        self.client.get(url)

        reached, responses = self.views_reached(lambda: self.client.get(url), lambda: self.client.get(url))

        self.assertEqual(reached, 2)
        self.assertTrue(all(response.status_code == 200 for response in responses))

    def test_htmx_requests_head_and_post_go_the_usual_way(self):
        self.client.get(self.url)
        self.client.get(self.url)

        reached, responses = self.views_reached(
            lambda: self.client.get(self.url, headers={"HX-Request": "true"}),
            lambda: self.client.head(self.url),
        )

        self.assertEqual(reached, 2)
        self.assertEqual([response.status_code for response in responses], [200, 200])
        self.assertEqual(self.client.post(self.url).status_code, 405)

    @override_settings(ALLOWED_HOSTS=["one.example", "two.example"])
    def test_each_host_gets_its_own_addresses(self):
        self.client.get(self.url, headers={"Host": "one.example"})
        self.client.get(self.url, headers={"Host": "one.example"})

        response = self.client.get(self.url, headers={"Host": "two.example"})

        self.assertContains(response, "http://two.example/")
        self.assertNotContains(response, "one.example")

    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_the_scheme_a_proxy_names_is_part_of_the_key(self):
        self.client.get(self.url)
        self.client.get(self.url)

        response = self.client.get(self.url, headers={"X-Forwarded-Proto": "https"})

        self.assertContains(response, 'href="https://testserver')
        self.assertNotContains(response, 'href="http://testserver')

    def test_a_disallowed_host_is_refused_even_after_a_page_was_kept(self):
        self.client.get(self.url)
        self.client.get(self.url)

        self.assertEqual(self.client.get(self.url, headers={"Host": "evil.example"}).status_code, 400)

    def test_a_response_that_is_not_a_kept_page_is_not_kept(self):
        for url in ("/healthz", "/desk/", "/no-such-page/"):
            with self.subTest(url=url):
                request = self.client.get(url).wsgi_request
                self.assertIsNone(self.kept(request))

    def test_nothing_is_kept_with_debug_on(self):
        with override_settings(DEBUG=True):
            request = self.client.get(self.url).wsgi_request
            self.client.get(self.url)

        self.assertIsNone(self.kept(request))
