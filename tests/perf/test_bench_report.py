"""The benchmark's verdicts: which target applies to which page, and PASS / MISS / MISSING.

The targets are issue 12's, at the large database on every leg: anonymous public
pages at least 0.8× the /healthz floor, logged-in public pages at least 0.25×,
search and desk p95 under 50 ms, no page's p95 more than 25% above the empty
database's.
"""

from django.test import SimpleTestCase

from bench.run import ANONYMOUS, LOGGED_IN, compare, switch_comparison, targets


def row(page, kind, variant, **figures):
    return {"page": page, "kind": kind, "variant": variant, **figures}


def measured(rps, p95, ratio):
    return {"rps": rps, "p50": p95 / 2, "p95": p95, "p99": p95 * 2, "ratio": ratio}


def verdicts(empty_rows, large_rows):
    table = compare({"rows": empty_rows}, {"rows": large_rows})
    return {(item["page"], item["variant"], item["target"]): item["status"] for item in targets(table)}


def at_large(*rows):
    """Verdicts for pages measured at the large database with the same p95 at both sizes (no growth)."""
    return verdicts(rows, rows)


class BenchTargetTests(SimpleTestCase):
    def test_an_anonymous_page_passes_at_eight_tenths_of_the_floor(self):
        result = at_large(row("home", "public", ANONYMOUS, **measured(800, 10, 0.8)))
        self.assertEqual(result[("home", ANONYMOUS, "≥ 0.8× floor")], "PASS")

    def test_an_anonymous_page_misses_below_eight_tenths_of_the_floor(self):
        result = at_large(row("home", "public", ANONYMOUS, **measured(790, 10, 0.79)))
        self.assertEqual(result[("home", ANONYMOUS, "≥ 0.8× floor")], "MISS")

    def test_a_logged_in_page_passes_at_a_quarter_of_the_floor(self):
        result = at_large(row("home", "public", LOGGED_IN, **measured(250, 10, 0.25)))
        self.assertEqual(result[("home", LOGGED_IN, "≥ 0.25× floor")], "PASS")

    def test_a_logged_in_page_misses_below_a_quarter_of_the_floor(self):
        result = at_large(row("home", "public", LOGGED_IN, **measured(240, 10, 0.24)))
        self.assertEqual(result[("home", LOGGED_IN, "≥ 0.25× floor")], "MISS")

    def test_p95_growth_of_a_quarter_passes_and_more_misses(self):
        result = verdicts(
            [
                row("actor", "public", ANONYMOUS, **measured(900, 10, 0.9)),
                row("source", "public", ANONYMOUS, **measured(900, 10, 0.9)),
            ],
            [
                row("actor", "public", ANONYMOUS, **measured(900, 12.5, 0.9)),
                row("source", "public", ANONYMOUS, **measured(900, 12.6, 0.9)),
            ],
        )
        self.assertEqual(result[("actor", ANONYMOUS, "p95 growth ≤ 25%")], "PASS")
        self.assertEqual(result[("source", ANONYMOUS, "p95 growth ≤ 25%")], "MISS")

    def test_search_p95_must_be_under_50_ms(self):
        result = at_large(
            row("search", "search", ANONYMOUS, **measured(900, 49, 0.9)),
            row("search", "search", LOGGED_IN, **measured(300, 50, 0.3)),
        )
        self.assertEqual(result[("search", ANONYMOUS, "p95 < 50 ms")], "PASS")
        self.assertEqual(result[("search", LOGGED_IN, "p95 < 50 ms")], "MISS")

    def test_desk_p95_must_be_under_50_ms(self):
        result = at_large(
            row("desk home", "desk", LOGGED_IN, **measured(300, 49.9, 0.3)),
            row("board", "desk", LOGGED_IN, **measured(300, 51, 0.3)),
        )
        self.assertEqual(result[("desk home", LOGGED_IN, "p95 < 50 ms")], "PASS")
        self.assertEqual(result[("board", LOGGED_IN, "p95 < 50 ms")], "MISS")

    def test_search_and_desk_have_no_throughput_target(self):
        result = at_large(
            row("search", "search", LOGGED_IN, **measured(10, 40, 0.01)),
            row("board", "desk", LOGGED_IN, **measured(10, 40, 0.01)),
        )
        self.assertEqual(set(result.values()), {"PASS"})

    def test_a_missing_page_is_reported_missing_not_passed(self):
        result = verdicts([], [row("board", "desk", LOGGED_IN, missing="not found (404)")])
        self.assertEqual(result[("board", LOGGED_IN, "p95 < 50 ms")], "MISSING")

    def test_a_page_that_never_answered_misses(self):
        silent = {"rps": 0.0, "p50": None, "p95": None, "p99": None, "ratio": 0.0}
        result = verdicts([row("actor", "public", LOGGED_IN, **silent)], [row("actor", "public", LOGGED_IN, **silent)])
        self.assertEqual(result[("actor", LOGGED_IN, "≥ 0.25× floor")], "MISS")
        self.assertEqual(result[("actor", LOGGED_IN, "p95 growth ≤ 25%")], "MISS")

    def test_the_references_have_no_targets(self):
        result = verdicts(
            [row("healthz", "floor", ANONYMOUS, **measured(3000, 5, 1.0))],
            [row("healthz", "floor", ANONYMOUS, **measured(3000, 50, 1.0))],
        )
        self.assertEqual(result, {})


class SwitchComparisonTests(SimpleTestCase):
    def test_it_gives_each_page_with_and_without_and_the_change(self):
        with_it = [row("home", "public", ANONYMOUS, **measured(1000, 10, 0.9))]
        without = [row("home", "public", ANONYMOUS, **measured(500, 20, 0.45))]
        (entry,) = switch_comparison(with_it, without)
        self.assertEqual((entry["on"]["rps"], entry["off"]["rps"]), (1000, 500))
        self.assertEqual((entry["rps_change"], entry["p95_change"]), (-0.5, 1.0))

    def test_a_page_missing_in_either_run_has_no_change(self):
        with_it = [row("board", "desk", LOGGED_IN, missing="not found (404)")]
        without = [row("board", "desk", LOGGED_IN, **measured(100, 20, 0.1))]
        (entry,) = switch_comparison(with_it, without)
        self.assertNotIn("rps_change", entry)
