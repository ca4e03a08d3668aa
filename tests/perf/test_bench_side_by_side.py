"""The benchmark measures the empty and the large database side by side (issue 12).

Nothing here is timed: measure_one is replaced by a recorder, so these tests
check the order of the runs and where each row lands, not any figure.
"""

from types import SimpleNamespace
from unittest import mock

from django.test import SimpleTestCase

from bench import run


def table(prefix: str) -> list[dict]:
    """The page table as bench/prepare.py resolves it, with paths of one database (``prefix``)."""
    return [
        {"name": "home", "kind": "public", "path": f"/{prefix}/"},
        {"name": "board", "kind": "desk", "path": f"/{prefix}/desk/board/"},
        {"name": "healthz (floor)", "kind": "floor", "path": f"/{prefix}/healthz"},
    ]


def configuration(size: str, switch=None) -> run.Configuration:
    return run.Configuration(size, switch, {"pages": table(size)}, [f"http://{size}.test"], f"cookie-{size}")


class SideBySideTest(SimpleTestCase):
    options = SimpleNamespace(pages=[], variants=[run.ANONYMOUS, run.LOGGED_IN], repeat=1)

    def measure(self, configurations, options=None):
        calls = []

        def measure_one(urls, page, variant, cookie, options, label="", *, warm=True):
            tries = sum(1 for call in calls if call[:3] == (page["name"], variant, urls[0]))
            calls.append((page["name"], variant, urls[0], page["path"], cookie, warm))
            # Each page's tries on a database give 200, 900, then 400 req/s: the second is the best.
            rps = (200, 900, 400)[tries % 3]
            return {"page": page["name"], "kind": page["kind"], "variant": variant, "rps": rps, "p95": 5.0 + tries}

        with mock.patch.object(run, "measure_one", side_effect=measure_one):
            rows = run.measure(configurations, options or self.options)
        return calls, rows

    def test_each_page_is_measured_on_both_databases_one_right_after_the_other(self):
        calls, _ = self.measure([configuration("empty"), configuration("large")])
        runs = [(name, variant) for name, variant, *_ in calls]
        pairs = list(zip(runs[::2], runs[1::2], strict=True))
        self.assertTrue(all(first == second for first, second in pairs))
        databases = [url for _, _, url, *_ in calls]
        self.assertEqual(
            [set(databases[index : index + 2]) for index in range(0, len(databases), 2)],
            [{"http://empty.test", "http://large.test"}] * (len(calls) // 2),
        )

    def test_the_order_rotates_from_run_to_run(self):
        calls, _ = self.measure([configuration("empty"), configuration("large")])
        first_of_each_pair = [url for _, _, url, *_ in calls[::2]]
        self.assertEqual(first_of_each_pair[:4], ["http://empty.test", "http://large.test"] * 2)

    def test_each_database_is_asked_for_its_own_paths_with_its_own_session(self):
        calls, _ = self.measure([configuration("empty"), configuration("large")])
        for name, variant, url, path, cookie, _ in calls:
            size = url.removeprefix("http://").removesuffix(".test")
            with self.subTest(name=name, variant=variant, size=size):
                self.assertTrue(path.startswith(f"/{size}/"))
                self.assertEqual(cookie, f"cookie-{size}")

    def test_rows_land_with_their_own_configuration_and_the_floor_is_measured_three_times(self):
        calls, (empty, large) = self.measure([configuration("empty"), configuration("large")])
        self.assertEqual(sum(1 for name, *_ in calls if name == "healthz (floor)"), 6)
        for rows in (empty, large):
            self.assertEqual(
                [(row["page"], row["variant"]) for row in rows],
                [
                    ("home", run.ANONYMOUS),
                    ("home", run.LOGGED_IN),
                    ("board", run.LOGGED_IN),
                    ("healthz (floor)", run.ANONYMOUS),
                ],
            )
            self.assertEqual(len(rows[-1]["floor_samples_rps"]), 3)

    def test_with_repeat_each_configuration_keeps_its_best_run_and_warms_up_once(self):
        options = SimpleNamespace(pages=[], variants=[run.ANONYMOUS], repeat=3)
        calls, (empty, large) = self.measure([configuration("empty"), configuration("large")], options)
        home = [call for call in calls if call[0] == "home"]
        self.assertEqual(len(home), 6)
        self.assertEqual([warm for *_, warm in home], [True, True, False, False, False, False])
        for rows in (empty, large):
            self.assertEqual((rows[0]["rps"], rows[0]["p95"]), (900, 6.0))

    def test_sorted_out_gives_each_database_its_rows_and_switched_off_parts(self):
        databases = [
            run.Database("empty", {}, {"claims": 10}, {"home": {run.ANONYMOUS: [8, 0]}}),
            run.Database("large", {}, {"claims": 99}, {"home": {run.ANONYMOUS: [9, 0]}}),
        ]
        served = [(0, configuration("empty")), (1, configuration("large")), (1, configuration("large", "memory-cache"))]
        measured = [[{"page": "home", "variant": run.ANONYMOUS, "rps": rps}] for rps in (1, 2, 3)]
        empty, large = run.sorted_out(databases, served, measured)
        self.assertEqual((empty["database"], empty["claims"], empty["rows"][0]["rps"]), ("empty", 10, 1))
        self.assertEqual(empty["rows"][0]["queries"], [8, 0])
        self.assertEqual((large["rows"][0]["rps"], large["rows"][0]["queries"]), (2, [9, 0]))
        self.assertEqual(
            large["switched_off"], {"memory-cache": [{"page": "home", "variant": run.ANONYMOUS, "rps": 3}]}
        )
        self.assertEqual(empty["switched_off"], {})
