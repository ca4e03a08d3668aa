"""Several app servers share one cache: what one instance publishes, every other serves from its next request.

In production, instances share the database and the cache (Redis), while each
worker of each instance keeps the pages it served last in its own memory
(``near_pages``). Here two test clients stand for two instances: each request
runs with its instance's own memory cache swapped in, and both share the tests'
cache (local memory, or Redis with TEST_REDIS_URL). The benchmark checks the
same promise on two gunicorn instances on PostgreSQL and Redis (bench/run.py).
"""

from dataclasses import dataclass, field
from io import StringIO
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from claims.models import Side, Stance
from reader import caching
from tests.base import BaseTestCase, approve, make_claim


@dataclass
class Instance:
    """One app server: the memory its workers keep of pages, and an anonymous reader who browses it."""

    memory: caching.NearCache = field(default_factory=lambda: caching.NearCache(max_bytes=8 * 1024 * 1024))
    reader: Client = field(default_factory=Client)

    def get(self, url: str, client: Client | None = None):
        with mock.patch.object(caching, "near_pages", self.memory):
            return (client or self.reader).get(url)

    def post(self, client: Client, url: str, data: dict):
        with mock.patch.object(caching, "near_pages", self.memory):
            return client.post(url, data)


class CrossInstanceTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.proposition = self.build_contradiction()
        self.page = reverse("reader:contradiction", args=[self.proposition.slug])
        claim = approve(
            make_claim(
                self.source, "they are not responsible for Pakistan’s internal security", self.taliban, self.analyst
            ),
            self.reviewer,
        )
        self.mark = f'id="claim-{claim.pk}"'
        self.stance = Stance.objects.create(
            claim=claim, proposition=self.proposition, side=Side.DISPUTES, created_by=self.analyst
        )
        self.stance.submit(self.analyst)
        self.a, self.b = Instance(), Instance()
        self.reviewer_on_a = Client()
        self.reviewer_on_a.force_login(self.reviewer)

    def review_through_a(self, action: str) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.a.post(
                self.reviewer_on_a,
                reverse("admin:review_queue"),
                {"action": action, "item": f"stance:{self.stance.pk}"},
            )
        self.assertEqual(response.status_code, 302)

    def b_keeps_the_page(self) -> None:
        for _ in range(2):  # rendered once, then served from B's memory
            self.assertNotContains(self.b.get(self.page), self.mark)
        self.assertTrue(self.b.memory._pages)

    def hold_the_render_lock(self) -> None:
        """As if another worker were rendering the page right now: the grace may serve the last rendering."""
        key = caching.page_cache_key(RequestFactory().get(self.page))
        cache.add(caching.render_lock_key(key), "another worker", caching.RENDER_LOCK_SECONDS)

    def test_an_approval_through_one_instance_shows_on_the_others_next_request(self):
        self.b_keeps_the_page()
        self.review_through_a("approve")
        self.assertContains(self.b.get(self.page), self.mark)

    def test_an_approval_shows_on_the_other_instance_to_logged_in_readers_too(self):
        analyst_on_b = Client()
        analyst_on_b.force_login(self.other_analyst)
        self.assertNotContains(self.b.get(self.page, analyst_on_b), self.mark)
        self.review_through_a("approve")
        self.assertContains(self.b.get(self.page, analyst_on_b), self.mark)

    def test_while_another_worker_renders_the_other_instance_serves_the_last_page_within_the_grace_only(self):
        self.b_keeps_the_page()
        self.review_through_a("approve")
        self.hold_the_render_lock()
        self.assertNotContains(self.b.get(self.page), self.mark)  # a few seconds old: allowed
        clock = mock.Mock(time=mock.Mock(return_value=caching.time.time() + caching.GRACE_SECONDS + 1))
        with mock.patch.object(caching, "time", clock):
            self.assertContains(self.b.get(self.page), self.mark)

    def test_a_withdrawal_through_one_instance_is_never_served_stale_by_the_other(self):
        self.review_through_a("approve")
        self.assertContains(self.b.get(self.page), self.mark)
        self.assertContains(self.b.get(self.page), self.mark)  # from B's memory
        self.review_through_a("return_to_draft")
        self.hold_the_render_lock()
        self.assertNotContains(self.b.get(self.page), self.mark)

    def test_each_instance_serves_pages_from_its_own_memory(self):
        self.b_keeps_the_page()
        self.assertFalse(self.a.memory._pages)


class GeneratedCorpusTest(BaseTestCase):
    def generate(self) -> None:
        call_command("generate_corpus", claims=0, seed=1, stdout=StringIO())

    def test_pages_cached_before_the_corpus_is_written_are_not_served_after_it(self):
        page = reverse("reader:search") + "?q=Torkham"
        self.assertNotContains(self.client.get(page), "Torkham crossing")
        self.generate()
        self.assertContains(self.client.get(page), "Torkham crossing")

    def test_it_forgets_cached_pages_once_not_per_record(self):
        with mock.patch.object(caching, "bump_public_generation") as bump:
            self.generate()
        bump.assert_called_once_with()
