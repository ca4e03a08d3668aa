"""The benchmark reports each page's database queries, rendered and served (bench/queries.py).

Nothing here is timed. The counts are what one request asks the database: with
every cache empty (rendered) and again with the page kept (served). They go
into the benchmark's report beside each page's figures, so that a run at
another size shows whether a page asks more of the database as it grows.
"""

from contextlib import redirect_stdout
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
        # One turn of short batches: the figures are not checked here, only that each page has one.
        self.counts = page_query_counts("bench-queries-analyst", rounds=1, batch_seconds=0)

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

    def test_every_counted_page_has_its_in_process_time(self):
        for name, variants in self.counts.items():
            for variant, counted in variants.items():
                with self.subTest(name, variant=variant):
                    self.assertIsInstance(counted["served_ms"], float)
                    self.assertGreater(counted["served_ms"], 0)

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


class InProcessTimesInTheReportTest(SimpleTestCase):
    def counts(self, home_ms: float, board_ms: float) -> dict:
        return {
            "home": {ANONYMOUS: {"rendered": 8, "served": 0, "served_ms": home_ms}},
            "board": {LOGGED_IN: {"rendered": 6, "served": 1, "served_ms": board_ms}},
        }

    def test_each_page_gets_the_change_of_its_in_process_time_from_the_empty_database_to_the_large_one(self):
        empty, large = run.counted_rows(self.counts(0.4, 2.0)), run.counted_rows(self.counts(0.5, 1.0))
        table = {(entry["page"], entry["variant"]): entry for entry in run.compare({"rows": empty}, {"rows": large})}
        self.assertEqual(table["home", ANONYMOUS]["served_ms_growth"], 0.25)
        self.assertEqual(table["board", LOGGED_IN]["served_ms_growth"], -0.5)
        self.assertNotIn("p95_growth", table["home", ANONYMOUS])

    def test_a_page_without_a_time_at_either_size_gets_no_change(self):
        empty = run.counted_rows({"home": {ANONYMOUS: {"rendered": 8, "served": 0}}})
        large = run.counted_rows(self.counts(0.5, 1.0))
        (home, _) = run.compare({"rows": empty}, {"rows": large})
        self.assertNotIn("served_ms_growth", home)

    def test_the_console_shows_both_sizes_and_the_change_per_leg(self):
        floor = {"page": "healthz (floor)", "kind": "floor", "variant": ANONYMOUS, "rps": 3000.0, "p95": 5.0}
        empty, large = run.counted_rows(self.counts(0.4, 2.0)), run.counted_rows(self.counts(0.5, 1.0))
        table = run.compare({"rows": [*empty, floor]}, {"rows": [*large, floor]})
        output = StringIO()
        with redirect_stdout(output):
            run.print_in_process({"legs": {"sqlite": {"table": table}, "postgres": {"table": table}}})
        lines = output.getvalue().splitlines()
        (home,) = [line for line in lines if line.startswith("home")]
        self.assertFalse([line for line in lines if line.startswith("healthz")])
        self.assertEqual(home.split("|")[1:], ["   0.40   0.50    +25% ", "   0.40   0.50    +25%"])
