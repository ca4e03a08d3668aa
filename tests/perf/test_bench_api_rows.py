"""The benchmark measures one API list and one API detail endpoint (issue 15), and only answers count.

Nothing here is timed. The rows are in bench/pages.py and answer 200 on the
benchmark's corpus; the servers bench/run.py starts (both legs) allow more API
requests per address than wrk can send; and a row whose run got refusals fails
the run instead of reporting how fast the refusals came.
"""

import os
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.test import Client, SimpleTestCase, TestCase
from django.urls import reverse

from bench import run
from bench.corpus import BENCH_CONTRADICTION_SLUG
from bench.pages import PAGES
from config.env import env_int

API_ROWS = [page for page in PAGES if page.kind == "api"]


def wrk_run(*, status_errors: int) -> dict:
    kinds = {"connect_errors": 0, "read_errors": 0, "write_errors": 0, "status_errors": status_errors, "timeouts": 0}
    figures = {"kb_per_response": 2.0, "rps": 1000.0, "p50": 2.0, "p95": 5.0, "p99": 9.0, "max": 20.0}
    return {"requests": 5000, **figures, "errors": status_errors, "error_kinds": kinds}


class ApiRowsTest(SimpleTestCase):
    def test_the_benchmark_measures_the_contradictions_list_and_one_contradiction(self):
        self.assertEqual(sorted(page.url_name for page in API_ROWS), ["api:contradiction", "api:contradictions"])

    def test_the_detail_row_is_the_benchmarks_40_claim_contradiction(self):
        (detail,) = [page for page in API_ROWS if page.url_name == "api:contradiction"]
        self.assertEqual(detail.args(), [BENCH_CONTRADICTION_SLUG])

    def test_api_rows_are_measured_anonymously_only(self):
        self.assertEqual(run.VARIANTS["api"], [run.ANONYMOUS])


class ApiRowsOnTheBenchmarksCorpusTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("generate_corpus", claims=0, seed=1, stdout=StringIO())

    def test_each_api_row_answers_200_to_a_reader_without_a_token(self):
        for page in API_ROWS:
            with self.subTest(page.name):
                response = Client().get(reverse(page.url_name, args=page.args()))
                self.assertEqual(response.status_code, 200)

    def test_the_list_row_lists_the_benchmarks_contradiction(self):
        response = Client().get(reverse("api:contradictions"), {"limit": 200})
        self.assertIn(BENCH_CONTRADICTION_SLUG, [item["slug"] for item in response.json()["items"]])


class ServerEnvironmentTest(SimpleTestCase):
    def environments(self) -> dict[str, dict]:
        static_root = Path("/nonexistent/static")
        return {
            "sqlite": run.production_env(Path("/nonexistent/bench.sqlite3"), static_root),
            "postgres": run.postgres_env("postgres://bench@127.0.0.1/bench", static_root, "redis://127.0.0.1/14"),
        }

    def test_both_legs_allow_more_api_requests_per_address_than_wrk_can_send(self):
        # 100,000 requests a second for a whole window: far beyond wrk on this machine.
        beyond_wrk = 100_000 * settings.API_RATE_WINDOW_SECONDS
        self.assertTrue(hasattr(settings, "API_RATE_LIMIT_ANONYMOUS"))
        for leg, env in self.environments().items():
            with self.subTest(leg), mock.patch.dict(os.environ, env):
                self.assertGreater(env_int("API_RATE_LIMIT_ANONYMOUS", 120, minimum=1), beyond_wrk)


class RefusalsFailTheRunTest(SimpleTestCase):
    page = {"name": "API list: contradictions", "kind": "api", "path": "/api/v1/contradictions"}
    options = SimpleNamespace(threads=2, connections=8, warmup=0, duration=5)

    def measure(self, wrk_result: dict) -> dict:
        with (
            mock.patch.object(run, "status_of", return_value=200),
            mock.patch.object(run, "wrk_spread", return_value=wrk_result),
            mock.patch("builtins.print"),
        ):
            return run.measure_one(["http://127.0.0.1:1"], self.page, run.ANONYMOUS, "", self.options)

    def test_a_row_answered_200_throughout_reports_its_figures(self):
        self.assertEqual(self.measure(wrk_run(status_errors=0))["rps"], 1000.0)

    def test_a_row_with_any_refused_request_fails_the_run(self):
        with self.assertRaisesMessage(run.BenchError, "1 of 5,000 responses were not 200"):
            self.measure(wrk_run(status_errors=1))
