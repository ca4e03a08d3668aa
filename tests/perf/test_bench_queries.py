"""The benchmark reports each page's database queries, rendered and served (bench/queries.py).

Nothing here is timed. The counts are what one request asks the database: with
every cache empty (rendered) and again with the page kept (served). They go
into the benchmark's report beside each page's figures, so that a run at
another size shows whether a page asks more of the database as it grows.
"""

from io import StringIO

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from bench import run
from bench.pages import PAGES
from bench.queries import VARIANTS, page_query_counts
from bench.run import ANONYMOUS, LOGGED_IN
from claims.roles import ANALYSTS
from tests.base import make_user


class QueryCountsOnTheBenchmarksCorpusTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("generate_corpus", claims=0, seed=1, stdout=StringIO())
        make_user("bench-queries-analyst", ANALYSTS)

    def setUp(self):
        self.counts = page_query_counts("bench-queries-analyst")

    def test_every_measured_page_is_counted_in_every_variant_it_is_measured_in(self):
        expected = {page.name: set(VARIANTS[page.kind]) for page in PAGES if page.kind in VARIANTS}
        self.assertEqual({name: set(variants) for name, variants in self.counts.items()}, expected)
        self.assertEqual(VARIANTS, {kind: run.VARIANTS[kind] for kind in VARIANTS})

    def test_an_anonymous_public_page_served_from_the_page_cache_asks_the_database_nothing(self):
        for page in PAGES:
            if page.kind == "public":
                with self.subTest(page.name):
                    counted = self.counts[page.name][ANONYMOUS]
                    self.assertEqual(counted["served"], 0)
                    self.assertGreater(counted["rendered"], 0)

    def test_a_logged_in_public_page_served_asks_the_database_nothing_either(self):
        # The page is the anonymous readers' with the account links in its slot, and the account and its
        # roles come from the shared cache (claims.roles.CachedAccountBackend).
        for page in PAGES:
            if page.kind == "public":
                with self.subTest(page.name):
                    counted = self.counts[page.name][LOGGED_IN]
                    self.assertEqual(counted["served"], 0)
                    self.assertGreater(counted["rendered"], 0)

    def test_a_served_request_never_asks_more_than_a_rendered_one(self):
        for name, variants in self.counts.items():
            for variant, counted in variants.items():
                with self.subTest(name, variant=variant):
                    self.assertLessEqual(counted["served"], counted["rendered"])


class QueryCountsInTheReportTest(SimpleTestCase):
    def rows(self):
        return [
            {"page": "home", "kind": "public", "variant": ANONYMOUS, "rps": 900.0, "p50": 2.0, "p95": 5.0, "p99": 9.0},
            {"page": "home", "kind": "public", "variant": LOGGED_IN, "rps": 300.0, "p50": 4.0, "p95": 9.0, "p99": 12.0},
        ]

    def test_each_row_gets_its_pages_counts_and_a_page_not_counted_gets_none(self):
        rows = run.with_queries(self.rows(), {"home": {ANONYMOUS: {"rendered": 9, "served": 0}}})
        self.assertEqual(rows[0]["queries"], {"rendered": 9, "served": 0})
        self.assertNotIn("queries", rows[1])

    def test_the_console_and_the_markdown_table_show_rendered_then_served(self):
        rows = run.with_queries(self.rows(), {"home": {ANONYMOUS: {"rendered": 9, "served": 0}}})
        table = run.compare({"rows": rows}, {"rows": rows})
        self.assertTrue(run.leg_figures(table[0]).endswith("    9/0"))
        report = {"legs": {"sqlite": {"table": table, "databases": [{"claims": 0}, {"claims": 100_000}]}}}
        header, _, first, second = run.markdown_table(report).splitlines()
        self.assertIn("| SQLite 100k queries |", header)
        self.assertIn("| 9 / 0 |", first)
        self.assertEqual(len(first.split("|")), len(header.split("|")))
        self.assertEqual(len(second.split("|")), len(header.split("|")))
