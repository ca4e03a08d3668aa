from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse

from claims.caching import GENERATION_KEY, cached_public_page
from tests.base import PASSWORD
from tests.reader.builders import ReaderTestCase


class AnonymousPageCacheTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.proposition.get_absolute_url()

    def test_a_second_anonymous_request_is_served_from_the_cache(self):
        self.client.get(self.url)

        with self.assertNumQueries(0):
            response = self.client.get(self.url)
        self.assertContains(response, "The Afghan Taliban shelter the TTP.")

    def test_approving_a_claim_invalidates_the_cached_pages(self):
        self.client.get(self.url)
        claim = self.publish_claim(self.source, "Its chief spokesman said", self.taliban)

        with self.captureOnCommitCallbacks(execute=True):
            self.publish_stance(claim, self.proposition, "qualifies")

        self.assertContains(self.client.get(self.url), "Its chief spokesman said")

    def test_rejecting_or_withdrawing_a_claim_invalidates_the_cached_pages(self):
        stance = self.proposition.stances.get(side="disputes")
        self.client.get(self.url)

        with self.captureOnCommitCallbacks(execute=True):
            stance.claim.return_to_draft(self.reviewer, reason="Misattributed")

        self.assertNotContains(self.client.get(self.url), "they do not provide support")

    def test_editing_an_actor_invalidates_the_cached_pages(self):
        self.client.get(self.url)

        with self.captureOnCommitCallbacks(execute=True):
            self.pakistan.name = "Islamic Republic of Pakistan"
            self.pakistan.save()

        self.assertContains(self.client.get(self.url), "Islamic Republic of Pakistan")

    def test_work_in_progress_does_not_invalidate_the_cache(self):
        self.client.get(self.url)
        generation = cache.get(GENERATION_KEY)

        with self.captureOnCommitCallbacks(execute=True):
            self.unpublished_claims(self.proposition)

        self.assertEqual(cache.get(GENERATION_KEY), generation)

    def test_a_changed_page_is_only_invalidated_after_the_transaction_commits(self):
        self.client.get(self.url)
        generation = cache.get(GENERATION_KEY)

        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.pakistan.save()

        self.assertEqual(cache.get(GENERATION_KEY), generation)
        self.assertEqual(len(callbacks), 1)


class ConditionalGetTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.proposition.get_absolute_url()

    def test_an_unchanged_page_answers_304_to_its_etag(self):
        etag = self.client.get(self.url)["ETag"]

        response = self.client.get(self.url, headers={"If-None-Match": etag})

        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")

    def test_an_unchanged_page_answers_304_to_if_modified_since(self):
        last_modified = self.client.get(self.url)["Last-Modified"]

        response = self.client.get(self.url, headers={"If-Modified-Since": last_modified})

        self.assertEqual(response.status_code, 304)

    def test_a_changed_page_answers_200_with_a_new_etag(self):
        etag = self.client.get(self.url)["ETag"]
        with self.captureOnCommitCallbacks(execute=True):
            self.pakistan.name = "Islamic Republic of Pakistan"
            self.pakistan.save()

        response = self.client.get(self.url, headers={"If-None-Match": etag})

        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], etag)

    def test_every_public_page_and_feed_has_an_etag(self):
        claim = self.proposition.stances.first().claim
        for url in (
            reverse("claims:home"),
            reverse("claims:contradictions"),
            self.url,
            reverse("claims:contradiction_json", args=[self.proposition.slug]),
            self.pakistan.get_absolute_url(),
            claim.source.get_absolute_url(),
            reverse("search:results") + "?q=shelter",
            reverse("claims:feed"),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.has_header("ETag"))
                self.assertEqual(self.client.get(url, headers={"If-None-Match": response["ETag"]}).status_code, 304)

    def test_anonymous_pages_ask_browsers_to_revalidate_and_vary_on_cookies(self):
        response = self.client.get(self.url)

        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("Cookie", response["Vary"])


class CachedPagesArePersonFreeTest(ReaderTestCase):
    """A cached page is served to everyone: it must hold nothing that belongs to one request."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.proposition.get_absolute_url()

    def test_cached_pages_carry_no_csrf_token_or_csp_nonce(self):
        first = self.client.get(self.url)
        second = self.client.get(self.url)

        for response in (first, second):
            self.assertNotContains(response, "csrf", status_code=200)
            self.assertNotContains(response, "nonce=")
            self.assertNotIn("nonce-", response["Content-Security-Policy"])
            self.assertNotIn("csrftoken", response.cookies)

    def test_the_policy_still_allows_our_own_scripts(self):
        response = self.client.get(self.url)

        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        self.assertContains(response, '<script src="/static/django_htmx/htmx-2.min.js" defer></script>')

    def test_logged_in_users_are_never_served_or_cached(self):
        anonymous = self.client.get(self.url)
        self.client.login(username=self.analyst.username, password=PASSWORD)

        own = self.client.get(self.url)

        self.assertNotContains(anonymous, "Log out")
        self.assertContains(own, "Log out alice")
        self.assertFalse(own.has_header("ETag"))
        self.client.logout()
        self.assertNotContains(self.client.get(self.url), "Log out")

    def test_logged_in_pages_use_a_fresh_nonce(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)

        response = self.client.get(self.url)

        self.assertIn("nonce-", response["Content-Security-Policy"])

    def test_a_reader_with_a_message_waiting_is_not_served_a_cached_page(self):
        self.client.get(self.url)
        self.client.cookies["messages"] = "pending-message"

        with self.assertNumQueries(4):
            self.client.get(self.url)

    def test_a_response_that_used_the_csrf_token_is_not_cached(self):
        rendered = []

        @cached_public_page
        def page(request, with_form):
            rendered.append(with_form)
            return HttpResponse(get_token(request) if with_form else "no form")

        for with_form in (True, True, False, False):
            page(RequestFactory().get(f"/page/{with_form}/"), with_form)

        self.assertEqual(rendered, [True, True, False])
