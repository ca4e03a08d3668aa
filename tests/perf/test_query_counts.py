"""Query counts per page do not grow with the corpus or with the rows a page shows.

Each page in PAGES is requested for a target with few rows and for one with
many (the benchmark's 40-claim contradiction, its 500-claim actor, a common
search term), first on a 200-claim corpus, then after the corpus has grown to
2,000 claims. All four requests must run the same number of queries. The
few-rows targets are chosen to show every section the many-rows ones do, since
a page may rightly skip a query for a section it has nothing to put in. Search
runs one query per kind of record it found, so it is held to a fixed bound
instead: at most one query per kind, however many rows.

To cover a new page, add a row to PAGES and a one-line test.
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.corpus import (
    BENCH_ACTOR_SLUG,
    BENCH_CONTRADICTION_SLUG,
    BENCH_QUESTION_SLUG,
    BENCH_SEARCH_TERM,
    BENCH_SOURCE_URL,
)
from claims.models import Actor, Proposition, Question, ReviewState
from reader.models import PositionChange
from reader.views import CHANGES_PER_PAGE
from sources.models import Source
from tests.base import BaseTestCase

SMALL_CORPUS, LARGE_CORPUS = 200, 2000
# One of the accounts generate_corpus records the corpus with: the desk shows their work.
CORPUS_ANALYST = "corpus-analyst-1"
# A claimant of the fixed set with a handful of claims, all on the bench contradiction.
FEW_CLAIMS_ACTOR = "bench-claimant-1"


def smallest_question() -> str:
    """A public question with the fewest public answers (at least one), other than the bench question."""
    return (
        Question.objects.public()
        .filter(answers_count__gt=0)
        .exclude(slug=BENCH_QUESTION_SLUG)
        .order_by("answers_count", "pk")
        .values_list("slug", flat=True)
        .first()
    )


def smallest_contradiction() -> str:
    return (
        Proposition.objects.contradictions()
        .exclude(slug=BENCH_CONTRADICTION_SLUG)
        .order_by("supports_count", "disputes_count", "pk")
        .values_list("slug", flat=True)
        .first()
    )


def source_with_fewest_public_claims() -> int:
    return (
        Source.objects.public()
        .annotate(n=Count("claims", filter=Q(claims__state=ReviewState.APPROVED)))
        .order_by("n", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def changed_actor(*, most: bool) -> str:
    """The actor with the most, or the fewest, changes of position (the benchmark's speaker has none: it takes
    both sides in every source)."""
    return (
        PositionChange.objects.values("actor__slug")
        .annotate(n=Count("pk"))
        .order_by("-n" if most else "n", "actor__slug")
        .values_list("actor__slug", flat=True)
        .first()
    )


def bench_source() -> int:
    return Source.objects.get(url=BENCH_SOURCE_URL).pk


@dataclass(frozen=True)
class Page:
    url_name: str
    few: Callable[[], list] = list  # URL arguments for a target showing few rows
    many: Callable[[], list] = list  # URL arguments for a target showing many
    few_query: str | Callable[[], str] = ""
    many_query: str | Callable[[], str] = ""
    analyst: bool = False  # requested logged in as the corpus analyst, else anonymously
    bound: int | None = None  # if set, counts may vary up to this instead of being identical


PAGES = {
    "home": Page("reader:home"),
    "contradictions": Page("reader:contradictions"),
    "contradictions by actor": Page(
        "reader:contradictions", few_query=f"actor={FEW_CLAIMS_ACTOR}", many_query=f"actor={BENCH_ACTOR_SLUG}"
    ),
    "contradiction": Page(
        "reader:contradiction", lambda: [smallest_contradiction()], lambda: [BENCH_CONTRADICTION_SLUG]
    ),
    "contradiction json": Page(
        "reader:contradiction_json", lambda: [smallest_contradiction()], lambda: [BENCH_CONTRADICTION_SLUG]
    ),
    "actor": Page("reader:actor", lambda: [FEW_CLAIMS_ACTOR], lambda: [BENCH_ACTOR_SLUG]),
    "actor json": Page("reader:actor_json", lambda: [FEW_CLAIMS_ACTOR], lambda: [BENCH_ACTOR_SLUG]),
    "changes": Page("reader:changes"),
    "questions": Page("reader:questions", many_query="sort=answers"),
    "changes by actor": Page(
        "reader:changes",
        few_query=lambda: f"actor={changed_actor(most=False)}",
        many_query=lambda: f"actor={changed_actor(most=True)}",
    ),
    "source": Page("reader:source", lambda: [source_with_fewest_public_claims()], lambda: [bench_source()]),
    "feed": Page("reader:feed"),
    # The search, then one query per kind found (propositions, claims and their stances, actors, sources).
    "search": Page("reader:search", few_query="q=forty+days", many_query=f"q={BENCH_SEARCH_TERM}", bound=6),
    "question": Page("reader:question", lambda: [smallest_question()], lambda: [BENCH_QUESTION_SLUG]),
    "question json": Page("reader:question_json", lambda: [smallest_question()], lambda: [BENCH_QUESTION_SLUG]),
    "desk home": Page("desk:home", analyst=True),
    "question board": Page("desk:question", lambda: [smallest_question()], lambda: [BENCH_QUESTION_SLUG], analyst=True),
    "board": Page("desk:board", lambda: [smallest_contradiction()], lambda: [BENCH_CONTRADICTION_SLUG], analyst=True),
}


def generate(claims: int, seed: int) -> None:
    call_command("generate_corpus", claims=claims, seed=seed, stdout=StringIO())


class QueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        generate(SMALL_CORPUS, seed=11)
        cls.on_small_corpus = {name: cls.count_queries(page) for name, page in PAGES.items()}
        generate(LARGE_CORPUS - SMALL_CORPUS, seed=12)

    @classmethod
    def count_queries(cls, page: Page) -> dict[str, int]:
        """Queries one request runs, past any page cache, for the few-rows and the many-rows target."""
        client = Client()
        if page.analyst:
            client.force_login(get_user_model().objects.get(username=CORPUS_ANALYST))
        counts = {}
        for label, args, query in (
            ("few rows", page.few(), page.few_query),
            ("many rows", page.many(), page.many_query),
        ):
            query = query() if callable(query) else query
            url = reverse(page.url_name, args=args) + (f"?{query}" if query else "")
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            counts[label] = len(queries)
        return counts

    def assert_constant(self, name: str) -> None:
        counts = {
            **{f"{label}, {SMALL_CORPUS} claims": n for label, n in self.on_small_corpus[name].items()},
            **{f"{label}, {LARGE_CORPUS} claims": n for label, n in self.count_queries(PAGES[name]).items()},
        }
        if PAGES[name].bound is not None:
            self.assertLessEqual(max(counts.values()), PAGES[name].bound, f"{name} page query counts: {counts}")
        else:
            self.assertEqual(len(set(counts.values())), 1, f"{name} page query counts vary: {counts}")

    def test_home_queries_do_not_grow(self):
        self.assert_constant("home")

    def test_contradiction_list_queries_do_not_grow(self):
        self.assert_constant("contradictions")

    def test_contradiction_list_by_actor_queries_do_not_grow(self):
        self.assert_constant("contradictions by actor")

    def test_contradiction_queries_do_not_grow(self):
        self.assert_constant("contradiction")

    def test_contradiction_json_queries_do_not_grow(self):
        self.assert_constant("contradiction json")

    def test_actor_queries_do_not_grow(self):
        self.assert_constant("actor")

    def test_actor_json_queries_do_not_grow(self):
        self.assert_constant("actor json")

    def test_changes_queries_do_not_grow(self):
        self.assert_constant("changes")

    def test_changes_by_actor_queries_do_not_grow(self):
        self.assert_constant("changes by actor")

    def test_source_queries_do_not_grow(self):
        self.assert_constant("source")

    def test_feed_queries_do_not_grow(self):
        self.assert_constant("feed")

    def test_search_queries_stay_within_one_per_kind(self):
        self.assert_constant("search")

    def test_question_queries_do_not_grow(self):
        self.assert_constant("question")

    def test_question_list_queries_do_not_grow(self):
        self.assert_constant("questions")

    def test_question_json_queries_do_not_grow(self):
        self.assert_constant("question json")

    def test_question_board_queries_do_not_grow(self):
        self.assert_constant("question board")

    def test_desk_home_queries_do_not_grow(self):
        self.assert_constant("desk home")

    def test_board_queries_do_not_grow(self):
        self.assert_constant("board")

    def test_the_many_rows_targets_do_show_many_rows(self):
        self.assertEqual(Actor.objects.get(slug=BENCH_ACTOR_SLUG).claims.public().count(), 500)
        self.assertLess(Actor.objects.get(slug=FEW_CLAIMS_ACTOR).claims.public().count(), 10)
        self.assertGreater(PositionChange.objects.public().count(), CHANGES_PER_PAGE)
        self.assertGreater(PositionChange.objects.filter(actor__slug=changed_actor(most=True)).count(), 3)
        self.assertEqual(Question.objects.get(slug=BENCH_QUESTION_SLUG).answers_count, 24)
        self.assertLess(Question.objects.get(slug=smallest_question()).answers_count, 7)
        proposition = Proposition.objects.get(slug=BENCH_CONTRADICTION_SLUG)
        self.assertEqual(proposition.supports_count + proposition.disputes_count + proposition.qualifies_count, 40)
