import time
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Actor, Claim, Proposition, ReviewState
from reader.caching import (
    GENERATION_KEY,
    GRACE_SECONDS,
    WITHDRAWAL_KEY,
    CachedPage,
    NearCache,
    cached_public_page,
    page_cache_key,
    render_lock_key,
)
from reader.public import filter_choices
from tests.base import PASSWORD, approve, make_source
from tests.reader.builders import ReaderTestCase


def main_of(response) -> str:
    """The page's main landmark: what every reader shares."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


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
        for callback in callbacks:
            callback()
        self.assertNotEqual(cache.get(GENERATION_KEY), generation)


class NearCacheTest(ReaderTestCase):
    """Each worker keeps the pages it served last in memory, valid only for their generation."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.proposition.get_absolute_url()

    def shared_key(self):
        return page_cache_key(RequestFactory().get(self.url))

    def test_a_page_this_worker_served_is_not_read_from_the_shared_cache_again(self):
        first = self.client.get(self.url)
        cache.delete(self.shared_key())

        with self.assertNumQueries(0), mock.patch.object(cache, "get", wraps=cache.get) as reads:
            second = self.client.get(self.url)

        self.assertEqual(second["ETag"], first["ETag"])
        self.assertNotIn(mock.call(self.shared_key()), reads.call_args_list)

    def test_the_kept_page_is_not_served_once_the_generation_changes(self):
        self.client.get(self.url)
        quote = "they are not responsible for Pakistan’s internal security issues"
        with self.captureOnCommitCallbacks(execute=True):  # the generation changes once the approval commits
            self.publish_claim(self.source, quote, self.taliban, self.proposition, "disputes")

        response = self.client.get(self.url)

        self.assertContains(response, quote)

    def test_it_keeps_at_most_its_size_in_bytes_evicting_the_least_recently_used(self):
        near = NearCache(max_bytes=10)
        page = lambda body: CachedPage(body, "text/html", '"e"', time.time(), "g1", "w1")  # noqa: E731
        near.put("a", page(b"aaaa"))
        near.put("b", page(b"bbbb"))
        self.assertIsNotNone(near.get("a", "g1"))  # "a" is now the most recently used
        near.put("c", page(b"cccc"))

        self.assertEqual([near.get(key, "g1") is not None for key in "abc"], [True, False, True])
        self.assertIsNone(near.get("a", "g2"))  # another generation: not served
        near.put("big", page(b"x" * 11))
        self.assertIsNone(near.get("big", "g1"))  # larger than the whole budget: never kept


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
            reverse("reader:home"),
            reverse("reader:contradictions"),
            reverse("reader:questions"),
            self.url,
            reverse("reader:contradiction_json", args=[self.proposition.slug]),
            self.pakistan.get_absolute_url(),
            claim.source.get_absolute_url(),
            reverse("reader:search") + "?q=shelter",
            reverse("reader:feed"),
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

    def test_logged_in_readers_get_the_cached_page_with_their_own_account_links(self):
        anonymous = self.client.get(self.url)
        self.client.login(username=self.analyst.username, password=PASSWORD)

        own = self.client.get(self.url)

        self.assertNotContains(anonymous, "Log out")
        self.assertContains(own, "Log out alice")
        self.assertContains(own, 'href="/desk/"')
        self.assertNotContains(own, "Log in")
        self.assertEqual(main_of(own), main_of(anonymous))
        self.assertFalse(own.has_header("ETag"))
        self.assertIn("private", own["Cache-Control"])
        self.client.logout()
        self.assertNotContains(self.client.get(self.url), "Log out")

    def test_the_account_links_are_not_kept_for_the_next_reader(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)
        self.client.get(self.url)  # fills the cache, as an anonymous reader would
        self.client.logout()

        anonymous = self.client.get(self.url)

        self.assertContains(anonymous, "Log in")
        self.assertNotContains(anonymous, "alice")
        self.assertNotContains(anonymous, "account-slot")

    def test_logged_in_pages_need_no_nonce_as_every_script_is_a_static_file(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)

        response = self.client.get(self.url)

        self.assertNotIn("nonce-", response["Content-Security-Policy"])
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        self.assertNotContains(response, "<script>")

    def test_a_reader_with_a_message_waiting_is_not_served_a_cached_page(self):
        self.client.get(self.url)
        self.client.cookies["messages"] = "pending-message"

        with self.assertNumQueries(1):  # the proposition: the rest comes from fragments shared by every reader
            response = self.client.get(self.url)

        self.assertFalse(response.has_header("ETag"))

    def test_a_response_that_used_the_csrf_token_is_not_cached(self):
        rendered = []

        @cached_public_page
        def page(request, with_form):
            rendered.append(with_form)
            return HttpResponse(get_token(request) if with_form else "no form")

        for with_form in (True, True, False, False):
            page(RequestFactory().get(f"/page/{with_form}/"), with_form)

        self.assertEqual(rendered, [True, True, False])


class GraceTest(ReaderTestCase):
    """While one request renders a stale page, others get its latest rendering, unless something was withdrawn."""

    NEW_QUOTE = "Its chief spokesman said"

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.proposition.get_absolute_url()
        self.lock = render_lock_key(page_cache_key(RequestFactory().get(self.url)))
        self.client.get(self.url)

    def approve_a_new_claim(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, self.NEW_QUOTE, self.taliban, self.proposition, "qualifies")

    def someone_is_rendering(self):
        cache.add(self.lock, "another request", 30)

    def test_while_another_request_renders_the_latest_rendering_is_served(self):
        self.approve_a_new_claim()
        self.someone_is_rendering()

        with self.assertNumQueries(0):
            response = self.client.get(self.url)

        self.assertContains(response, "they do not provide support")
        self.assertNotContains(response, self.NEW_QUOTE)

    def test_a_request_that_finds_no_lock_renders_afresh(self):
        self.approve_a_new_claim()

        self.assertContains(self.client.get(self.url), self.NEW_QUOTE)
        self.assertIsNone(cache.get(self.lock))

    def test_the_renderer_holds_the_lock_while_it_renders(self):
        seen = []

        @cached_public_page
        def page(request):
            seen.append(cache.get(render_lock_key(page_cache_key(request))))
            return HttpResponse("rendered")

        page(RequestFactory().get("/locked/"))

        self.assertIsNotNone(seen[0])
        self.assertIsNone(cache.get(render_lock_key(page_cache_key(RequestFactory().get("/locked/")))))

    def test_a_rendering_older_than_the_grace_period_is_not_served(self):
        self.approve_a_new_claim()
        self.someone_is_rendering()

        with mock.patch("reader.caching.time.time", return_value=time.time() + GRACE_SECONDS + 1):
            response = self.client.get(self.url)

        self.assertContains(response, self.NEW_QUOTE)

    def test_no_stale_page_is_served_after_a_claim_returns_to_draft(self):
        claim = self.proposition.stances.get(side="disputes").claim
        with self.captureOnCommitCallbacks(execute=True):
            claim.return_to_draft(self.reviewer, reason="Misattributed")
        self.someone_is_rendering()

        self.assertNotContains(self.client.get(self.url), "they do not provide support")

    def test_no_stale_page_is_served_after_a_public_actor_is_edited(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.taliban.name = "Islamic Emirate"
            self.taliban.save()
        self.someone_is_rendering()

        self.assertContains(self.client.get(self.url), "Islamic Emirate")

    def test_no_stale_page_is_served_after_an_approved_record_is_deleted(self):
        stance = self.proposition.stances.get(side="disputes")
        with self.captureOnCommitCallbacks(execute=True):
            stance.delete()
            self.proposition.refresh_public_counts()
        self.someone_is_rendering()

        self.assertNotContains(self.client.get(self.url), "they do not provide support")

    def test_no_stale_page_is_served_across_a_withdrawal_even_after_later_approvals(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.pakistan.name = "Islamic Republic of Pakistan"
            self.pakistan.save()
        self.approve_a_new_claim()
        self.someone_is_rendering()

        response = self.client.get(self.url)

        self.assertContains(response, "Islamic Republic of Pakistan")
        self.assertContains(response, self.NEW_QUOTE)

    def test_a_page_rendered_during_a_withdrawal_is_not_served_stale_after_it(self):
        withdrawn = self.proposition.stances.get(side="disputes").claim
        rendered = []

        @cached_public_page
        def page(request):
            rendered.append(request)
            body = ", ".join(
                Proposition.objects.get(pk=self.proposition.pk).stances.public().values_list("side", flat=True)
            )
            if len(rendered) == 1:  # the withdrawal commits while this rendering is under way
                with self.captureOnCommitCallbacks(execute=True):
                    withdrawn.return_to_draft(self.reviewer, reason="Misattributed")
            return HttpResponse(body)

        request = RequestFactory().get("/racing/")
        self.assertIn("disputes", page(request).content.decode())
        cache.add(render_lock_key(page_cache_key(request)), "another request", 30)

        self.assertNotIn("disputes", page(RequestFactory().get("/racing/")).content.decode())
        self.assertEqual(len(rendered), 2)

    def test_the_lock_is_released_when_rendering_fails(self):
        calls = []

        @cached_public_page
        def page(request):
            calls.append(request)
            if len(calls) == 1:
                raise RuntimeError("the database went away")
            return HttpResponse("rendered")

        with self.assertRaises(RuntimeError):
            page(RequestFactory().get("/failing/"))

        self.assertIsNone(cache.get(render_lock_key(page_cache_key(RequestFactory().get("/failing/")))))
        self.assertEqual(page(RequestFactory().get("/failing/")).content, b"rendered")

    def test_a_stale_page_is_served_with_its_own_etag(self):
        etag = self.client.get(self.url)["ETag"]
        self.approve_a_new_claim()
        self.someone_is_rendering()

        self.assertEqual(self.client.get(self.url, headers={"If-None-Match": etag}).status_code, 304)


class WithdrawalTokenTest(ReaderTestCase):
    """Approvals only add to what readers see; everything else that touches public records is a withdrawal."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.client.get(self.proposition.get_absolute_url())  # sets both tokens

    def tokens(self):
        return cache.get(GENERATION_KEY), cache.get(WITHDRAWAL_KEY)

    def assert_changes(self, change, *, withdrawal: bool):
        generation, token = self.tokens()
        with self.captureOnCommitCallbacks(execute=True):
            change()
        new_generation, new_token = self.tokens()
        self.assertNotEqual(new_generation, generation)
        self.assertEqual(new_token != token, withdrawal)

    def test_an_approval_is_not_a_withdrawal(self):
        self.assert_changes(
            lambda: self.publish_claim(self.source, "Its chief spokesman said", self.taliban), withdrawal=False
        )

    def test_a_return_to_draft_is_a_withdrawal(self):
        claim = self.proposition.stances.first().claim
        self.assert_changes(lambda: claim.return_to_draft(self.reviewer, reason="Wrong"), withdrawal=True)

    def test_an_approved_revision_is_a_withdrawal(self):
        claim = self.proposition.stances.first().claim
        revision = claim.propose_revision(self.analyst, {"paraphrase": "Pakistan says so."})
        self.assert_changes(lambda: revision.approve(self.reviewer), withdrawal=True)

    def test_an_edit_of_a_public_source_is_a_withdrawal(self):
        def edit():
            self.source.title = "Renamed report"
            self.source.save()

        self.assert_changes(edit, withdrawal=True)

    def test_deleting_an_approved_stance_is_a_withdrawal(self):
        stance = self.proposition.stances.filter(state=ReviewState.APPROVED).first()
        self.assert_changes(stance.delete, withdrawal=True)


class SharedDocumentsTest(ReaderTestCase):
    """The feed and the JSON data hold nothing for one reader: logged-in readers get the cached document too."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()

    def test_the_feed_is_served_from_the_cache_to_logged_in_readers(self):
        self.client.login(username=self.analyst.username, password=PASSWORD)
        url = reverse("reader:feed")
        self.client.get(url)

        with self.assertNumQueries(0):
            response = self.client.get(url)

        self.assertTrue(response.has_header("ETag"))
        self.assertNotIn("Cookie", response.get("Vary", ""))
        self.assertContains(response, "Contradiction: The Afghan Taliban shelter the TTP.")

    def test_the_json_data_is_shared_by_every_reader(self):
        url = reverse("reader:contradiction_json", args=[self.proposition.slug])
        anonymous = self.client.get(url)
        self.client.login(username=self.analyst.username, password=PASSWORD)

        with self.assertNumQueries(0):
            logged_in = self.client.get(url)

        self.assertEqual(logged_in["ETag"], anonymous["ETag"])


class LoggedInFragmentsTest(ReaderTestCase):
    """A logged-in reader's page is rendered for them, around fragments every reader shares."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        claim = self.proposition.stances.first().claim
        # The queries of a second request: none. The session, the page, and the account and roles its links
        # depend on all come from the cache (claims.roles.CachedAccountBackend).
        self.pages = {
            reverse("reader:home"): 0,
            reverse("reader:contradictions"): 0,
            reverse("reader:contradictions") + "?page=1&sort=claims": 0,
            reverse("reader:questions"): 0,
            reverse("reader:questions") + "?disputed=true&sort=answers": 0,
            reverse("reader:search") + "?q=shelter": 0,
            self.proposition.get_absolute_url(): 0,
            self.pakistan.get_absolute_url(): 0,
            claim.source.get_absolute_url(): 0,
        }

    def test_a_second_request_reads_nothing_from_the_database(self):
        self.client.force_login(self.analyst)
        for url, queries in self.pages.items():
            with self.subTest(url=url):
                self.client.get(url)
                with CaptureQueriesContext(connection) as captured:
                    response = self.client.get(url)
                self.assertEqual(len(captured), queries, [q["sql"][:80] for q in captured])
                self.assertContains(response, "Log out alice")

    def test_the_shared_fragments_hold_nothing_of_the_reader_who_filled_them(self):
        self.client.force_login(self.analyst)
        for url in self.pages:
            self.client.get(url)
        self.client.force_login(self.reviewer)

        for url in self.pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Log out rita")
                self.assertNotContains(response, "alice")
                self.assertEqual(response.content.decode().count("csrfmiddlewaretoken"), 1)  # the log-out form

    def test_anonymous_pages_built_from_the_fragments_carry_no_token(self):
        self.client.force_login(self.analyst)
        for url in self.pages:
            self.client.get(url)
        self.client.logout()

        for url in self.pages:
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), "csrf")

    def test_an_approval_shows_at_once_to_a_logged_in_reader(self):
        self.client.force_login(self.analyst)
        for url in self.pages:
            self.client.get(url)

        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, "Its chief spokesman said", self.pakistan, self.proposition, "qualifies")

        for url in (
            self.proposition.get_absolute_url(),
            self.pakistan.get_absolute_url(),
            self.source.get_absolute_url(),
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Its chief spokesman said")


class FilterSuggestionsTest(ReaderTestCase):
    """The filters' suggestions (three queries over every claim) are read again every few seconds in a burst of approvals."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = reverse("reader:contradictions")
        self.speaker = Actor.objects.create(state="approved", name="New speaker")

    def suggested_actors(self) -> list[str]:
        return [name for name, _ in filter_choices().actors]

    def approve_a_claim_by_the_new_speaker(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, "Its chief spokesman said", self.speaker, self.proposition, "qualifies")

    def test_an_approval_reaches_the_suggestions_within_the_grace_period(self):
        self.suggested_actors()
        self.approve_a_claim_by_the_new_speaker()

        self.assertNotIn("New speaker", self.suggested_actors())
        with mock.patch("reader.caching.time.time", return_value=time.time() + GRACE_SECONDS + 1):
            self.assertIn("New speaker", self.suggested_actors())

    def test_a_withdrawal_reaches_the_suggestions_at_once(self):
        self.approve_a_claim_by_the_new_speaker()
        self.assertIn("New speaker", self.suggested_actors())
        claim = Claim.objects.get(claimant=self.speaker)

        with self.captureOnCommitCallbacks(execute=True):
            claim.return_to_draft(self.reviewer, reason="Wrong speaker")

        self.assertNotIn("New speaker", self.suggested_actors())

    def test_without_changes_the_suggestions_are_kept(self):
        self.suggested_actors()

        later = time.time() + GRACE_SECONDS + 1
        with mock.patch("reader.caching.time.time", return_value=later), self.assertNumQueries(0):
            filter_choices()


class ScopedFragmentsTest(ReaderTestCase):
    """The pages of one proposition, actor or source keep their own records' fragments until an approval adds to them."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.client.force_login(self.analyst)

    def commit(self, change):
        with self.captureOnCommitCallbacks(execute=True):
            return change()

    def test_an_approval_elsewhere_leaves_the_claims_of_a_contradiction_as_they_were_read(self):
        url = self.proposition.get_absolute_url()
        self.client.get(url)
        other_source = make_source(text="Elsewhere, someone said something else entirely.", title="Elsewhere")
        other = self.publish_proposition("Something else.")
        self.commit(
            lambda: self.publish_claim(
                other_source, "someone said something", Actor.objects.create(state="approved", name="Someone"), other
            )
        )

        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)

        # The proposition; the claimants and sources of its claims, then related contradictions (the account
        # and its roles come from the cache).
        self.assertEqual(len(captured), 3, [q["sql"][:90] for q in captured])
        self.assertContains(response, "they do not provide support")

    def test_a_stance_against_an_actor_reaches_their_page_at_once(self):
        url = self.pakistan.get_absolute_url()
        self.client.get(url)
        kabul = Actor.objects.create(state="approved", name="Kabul spokesman")

        self.commit(
            lambda: self.publish_claim(self.source, "Its chief spokesman said", kabul, self.proposition, "disputes")
        )

        self.assertContains(
            self.client.get(url), f'<a href="{kabul.get_absolute_url()}"><bdi>Kabul spokesman</bdi></a>'
        )

    def test_a_new_member_reaches_their_affiliations_page_at_once(self):
        url = self.pakistan.get_absolute_url()
        self.client.get(url)
        office = Actor.objects.create(state="approved", name="Foreign Office", affiliation=self.pakistan)

        self.commit(lambda: self.publish_claim(self.source, "Its chief spokesman said", office))

        self.assertContains(self.client.get(url), "Speaking for <bdi>Government of Pakistan</bdi>")

    def test_a_claim_approved_again_comes_back_to_its_pages(self):
        claim = self.proposition.stances.get(side="disputes").claim
        self.commit(lambda: claim.return_to_draft(self.reviewer, reason="Check it"))
        pages = [self.proposition.get_absolute_url(), self.taliban.get_absolute_url(), self.source.get_absolute_url()]
        for url in (pages[0], pages[2]):
            self.assertNotContains(self.client.get(url), f'id="claim-{claim.pk}"')

        self.commit(lambda: approve(claim, self.reviewer))

        for url in pages:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f'id="claim-{claim.pk}"')

    def test_a_proposition_approved_again_comes_back_to_the_actors_pages(self):
        self.commit(lambda: self.proposition.return_to_draft(self.reviewer, reason="Reword it"))
        url = self.pakistan.get_absolute_url()
        self.assertNotContains(self.client.get(url), "The Afghan Taliban shelter the TTP.")

        self.commit(lambda: approve(self.proposition, self.reviewer))

        self.assertContains(self.client.get(url), "The Afghan Taliban shelter the TTP.")

    def test_a_withdrawal_leaves_no_scoped_fragment_behind(self):
        claim = self.proposition.stances.get(side="supports").claim
        pages = [self.proposition.get_absolute_url(), self.pakistan.get_absolute_url(), self.source.get_absolute_url()]
        for url in pages:
            self.assertContains(self.client.get(url), f'id="claim-{claim.pk}"')

        self.commit(lambda: claim.return_to_draft(self.reviewer, reason="Misattributed"))

        for url in (pages[0], pages[2]):
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), f'id="claim-{claim.pk}"')
        self.assertEqual(self.client.get(pages[1]).status_code, 404)  # Pakistan has no public claim left
