"""The page cache keeps one entry per page as its view reads it, and serves it to every anonymous reader.

Parameters a view does not read (``?utm_source=…``) neither make new entries
nor reach the view; a session cookie that names no session is an anonymous
reader's.
"""

from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from reader.caching import keep_read_parameters, one_of, page_number, text, year
from tests.reader.builders import ReaderTestCase


def cached_page_count() -> int:
    """How many pages the (local memory) test cache holds."""
    return sum(1 for key in cache._cache if ":public-page:" in key and not key.endswith(":rendering"))


class UnreadParametersTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = reverse("reader:contradictions")
        self.client.get(self.url)

    def test_random_tracking_values_do_not_create_new_entries(self):
        pages = cached_page_count()

        for number in range(5):
            self.client.get(f"{self.url}?utm_source=campaign{number}&fbclid={number}")

        self.assertEqual(cached_page_count(), pages)

    def test_an_address_with_unread_parameters_is_served_the_cached_page(self):
        with self.assertNumQueries(0):
            response = self.client.get(f"{self.url}?utm_source=newsletter")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.has_header("ETag"))

    def test_the_parameters_a_page_reads_still_make_their_own_pages(self):
        pages = cached_page_count()

        self.client.get(f"{self.url}?sort=claims")
        self.client.get(f"{self.url}?sort=claims&utm_source=newsletter&page=1")

        self.assertEqual(cached_page_count(), pages + 2)

    def test_the_order_of_the_parameters_does_not_matter(self):
        self.client.get(f"{self.url}?sort=claims&page=1")

        with self.assertNumQueries(0):
            self.client.get(f"{self.url}?page=1&utm_medium=x&sort=claims")

    def test_the_page_links_to_its_address_without_the_unread_parameters(self):
        cache.clear()

        response = self.client.get(f"{self.url}?utm_source=evil&sort=claims")

        self.assertContains(response, f'<meta property="og:url" content="http://testserver{self.url}?sort=claims">')
        self.assertNotContains(response, "utm_source")

    def test_logged_in_readers_get_the_same_page_without_the_unread_parameters(self):
        self.client.force_login(self.outsider)

        response = self.client.get(f"{self.url}?utm_source=evil&sort=claims")

        self.assertNotContains(response, "utm_source")

    def test_search_keeps_its_terms_and_page(self):
        response = self.client.get(f"{reverse('reader:search')}?q=Taliban&utm_source=x&page=1")

        self.assertEqual(response.context["query"], "Taliban")
        self.assertNotContains(response, "utm_source")


class KeepReadParametersTest(ReaderTestCase):
    def test_only_the_read_parameters_stay_with_the_value_views_read_in_order(self):
        request = RequestFactory().get("/contradictions/?utm=1&year=2022&actor=b&page=2&actor=a")

        keep_read_parameters(request, ("actor", "year", "page"))

        self.assertEqual(request.GET.getlist("actor"), ["a"])
        self.assertEqual(request.META["QUERY_STRING"], "actor=a&year=2022&page=2")
        self.assertEqual(request.get_full_path(), "/contradictions/?actor=a&year=2022&page=2")

    def test_values_a_view_would_refuse_are_dropped(self):
        request = RequestFactory().get("/contradictions/?sort=abc123&year=20x2&page=5551212&actor=Taliban")

        keep_read_parameters(
            request, {"sort": one_of("newest", "claims"), "year": year, "page": page_number, "actor": text(200)}
        )

        self.assertEqual(request.get_full_path(), "/contradictions/?actor=Taliban")

    def test_random_values_of_read_parameters_share_one_cached_page(self):
        with self.settings(DEBUG=False):
            first = self.client.get(reverse("reader:contradictions"), {"sort": "abc", "page": "99999999"})
            second = self.client.get(reverse("reader:contradictions"), {"sort": "xyz", "page": "12345678"})
        self.assertEqual(first["ETag"], second["ETag"])

    def test_a_page_that_reads_nothing_has_no_query(self):
        request = RequestFactory().get("/?utm_source=x")

        keep_read_parameters(request, ())

        self.assertEqual((request.get_full_path(), dict(request.GET)), ("/", {}))


class SessionCookieTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.url = self.build_contradiction().get_absolute_url()
        self.client.get(self.url)

    def test_a_cookie_that_names_no_session_is_served_the_cached_page(self):
        self.client.cookies["sessionid"] = "k" * 32

        with self.assertNumQueries(1):  # looking the session up, and nothing else
            response = self.client.get(self.url)

        self.assertTrue(response.has_header("ETag"))
        self.assertContains(response, "The Afghan Taliban shelter the TTP.")

    def test_the_forged_cookie_is_cleared(self):
        self.client.cookies["sessionid"] = "k" * 32

        response = self.client.get(self.url)

        self.assertEqual(response.cookies["sessionid"].value, "")

    def test_a_reader_without_a_cookie_costs_no_query(self):
        with self.assertNumQueries(0):
            response = self.client.get(self.url)

        self.assertTrue(response.has_header("ETag"))

    def test_a_session_that_holds_something_is_not_served_the_cached_page(self):
        session = SessionStore()
        session["_messages"] = "a message kept in the session"
        session.save()
        self.client.cookies["sessionid"] = session.session_key

        self.assertFalse(self.client.get(self.url).has_header("ETag"))

    def test_a_logged_in_reader_is_not_served_the_cached_page(self):
        self.client.force_login(self.outsider)

        response = self.client.get(self.url)

        self.assertFalse(response.has_header("ETag"))
        self.assertContains(response, "Log out")
