"""The benchmark's verdicts: which target applies to which page, and PASS / MISS / MISSING."""

from django.test import SimpleTestCase

from bench.run import ANONYMOUS, LOGGED_IN, compare, targets


def row(page, kind, variant, **figures):
    return {"page": page, "kind": kind, "variant": variant, **figures}


def measured(rps, p95, ratio):
    return {"rps": rps, "p50": p95 / 2, "p95": p95, "p99": p95 * 2, "ratio": ratio}


def verdicts(empty_rows, large_rows):
    table = compare({"rows": empty_rows}, {"rows": large_rows})
    return {(item["page"], item["variant"], item["target"]): item["status"] for item in targets(table)}


class BenchTargetTests(SimpleTestCase):
    def test_a_cached_page_passes_at_half_the_floor(self):
        result = verdicts(
            [row("home", "public", ANONYMOUS, **measured(900, 10, 0.9))],
            [row("home", "public", ANONYMOUS, **measured(500, 10, 0.5))],
        )
        self.assertEqual(result[("home", ANONYMOUS, "cached ≥ 0.5× floor")], "PASS")

    def test_an_uncached_page_misses_below_a_quarter_of_the_floor(self):
        result = verdicts(
            [row("home", "public", LOGGED_IN, **measured(300, 10, 0.3))],
            [row("home", "public", LOGGED_IN, **measured(240, 10, 0.24))],
        )
        self.assertEqual(result[("home", LOGGED_IN, "uncached ≥ 0.25× floor")], "MISS")

    def test_p95_growth_over_half_misses(self):
        result = verdicts(
            [row("actor", "public", ANONYMOUS, **measured(900, 10, 0.9))],
            [row("actor", "public", ANONYMOUS, **measured(900, 15.1, 0.9))],
        )
        self.assertEqual(result[("actor", ANONYMOUS, "p95 growth ≤ 50%")], "MISS")

    def test_search_and_desk_have_latency_targets(self):
        result = verdicts(
            [
                row("search", "search", ANONYMOUS, **measured(900, 10, 0.9)),
                row("desk", "desk", LOGGED_IN, **measured(90, 100, 0.1)),
            ],
            [
                row("search", "search", ANONYMOUS, **measured(900, 49, 0.9)),
                row("desk", "desk", LOGGED_IN, **measured(90, 151, 0.1)),
            ],
        )
        self.assertEqual(result[("search", ANONYMOUS, "p95 < 50 ms")], "PASS")
        self.assertEqual(result[("desk", LOGGED_IN, "p95 < 150 ms")], "MISS")

    def test_a_missing_page_is_reported_missing_not_passed(self):
        result = verdicts([], [row("board", "desk", LOGGED_IN, missing="not found (404)")])
        self.assertEqual(result[("board", LOGGED_IN, "p95 < 150 ms")], "MISSING")

    def test_a_page_that_never_answered_misses(self):
        silent = {"rps": 0.0, "p50": None, "p95": None, "p99": None, "ratio": 0.0}
        result = verdicts([row("actor", "public", LOGGED_IN, **silent)], [row("actor", "public", LOGGED_IN, **silent)])
        self.assertEqual(result[("actor", LOGGED_IN, "uncached ≥ 0.25× floor")], "MISS")
        self.assertEqual(result[("actor", LOGGED_IN, "p95 growth ≤ 50%")], "MISS")

    def test_the_references_have_no_targets(self):
        result = verdicts(
            [row("healthz", "floor", ANONYMOUS, **measured(3000, 5, 1.0))],
            [row("healthz", "floor", ANONYMOUS, **measured(3000, 50, 1.0))],
        )
        self.assertEqual(result, {})
