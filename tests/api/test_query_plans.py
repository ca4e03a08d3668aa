"""The API's lists read their page from an index in id order and stop there: no sort of every public record.

Checked on SQLite, which plans without statistics unless ANALYZE was run (and a
fresh database has none): the plan must not need them.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.base import ApiTestCase

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")


class ListQueryPlanTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.build_contradiction()

    def plan_of_the_list_query(self, url: str, table: str) -> str:
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        # The page's query: from that table, one more row than a page of 50 (to know whether another follows).
        [query] = [q["sql"] for q in captured if f' FROM "{table}" ' in q["sql"] and q["sql"].endswith("LIMIT 51")]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query}")
            return "\n".join(row[-1] for row in cursor.fetchall())

    def test_every_public_claim_stance_and_source_is_listed_without_sorting_them_all(self):
        for name, table in (("claims", "claims_claim"), ("stances", "claims_stance"), ("sources", "sources_source")):
            with self.subTest(name=name):
                plan = self.plan_of_the_list_query(reverse(f"api:{name}"), table)
                self.assertNotIn("TEMP B-TREE", plan)

    def test_an_actors_claims_are_found_through_the_claimant_and_reporter_indexes(self):
        plan = self.plan_of_the_list_query(reverse("api:claims") + f"?actor={self.pakistan.slug}", "claims_claim")

        self.assertIn("claims_claim_claimant_id", plan)
        self.assertIn("claims_claim_reported_by_id", plan)
        # Not a walk through every approved claim, checking each against the actor's.
        self.assertNotIn("(state=?)", plan)
