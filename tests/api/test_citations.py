"""The API's citations: the same files the pages offer, for public records only."""

import bibtexparser
import rispy
from django.urls import reverse

from claims.models import Claim
from tests.api.base import ApiTestCase, token_for
from tests.reader.test_citations import check_csl_item


class CitationTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.claim = Claim.objects.public().order_by("pk").first()

    def test_a_claims_citation_is_the_pages_files_in_one_document(self):
        response = self.api(f"claims/{self.claim.pk}/citation")

        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        for key, extension in (("bibtex", "bib"), ("ris", "ris")):
            with self.subTest(format=key):
                file = self.client.get(reverse("reader:claim_citation", args=[self.claim.pk, extension]))
                self.assertEqual(data[key], file.content.decode())
                self.assertEqual(data["files"][extension], f"http://testserver{file.wsgi_request.path}")
        self.assertEqual(bibtexparser.parse_string(data["bibtex"]).entries[0]["title"], f"{{{self.claim.quote}}}")
        self.assertEqual(rispy.loads(data["ris"])[0]["authors"], [self.claim.claimant.name])
        check_csl_item(self, data["csl"])
        self.assertEqual(data["csl"]["URL"], f"http://testserver{self.claim.get_absolute_url()}")
        self.assertIn(f"“{self.claim.quote}”", data["text"])
        self.assertIn("(accessed ", data["text"])

    def test_a_contradictions_citation_names_its_page_and_sides(self):
        data = self.api(f"contradictions/{self.proposition.slug}/citation").json()

        self.assertEqual(data["csl"]["title"], self.proposition.statement)
        self.assertEqual(data["csl"]["abstract"], "Supports: Government of Pakistan. Disputes: Afghan Taliban.")
        self.assertEqual(
            data["files"]["json"],
            "http://testserver" + reverse("reader:contradiction_citation", args=[self.proposition.slug, "json"]),
        )

    def test_unpublished_records_are_404_problems(self):
        hidden = self.unpublished_claims(self.proposition)
        for claim in hidden.values():
            with self.subTest(state=claim.state):
                self.assertProblem(self.api(f"claims/{claim.pk}/citation"), 404, slug="not-found")
        self.proposition.return_to_draft(self.reviewer, reason="Rewording")
        self.assertProblem(self.api(f"contradictions/{self.proposition.slug}/citation"), 404, slug="not-found")
        for bad in ("²", "0", str(10**30), "x"):
            self.assertProblem(self.api(f"claims/{bad}/citation"), 404, slug="not-found")

    def test_a_read_token_may_ask(self):
        token = token_for(self.analyst)

        self.assertEqual(self.api(f"claims/{self.claim.pk}/citation", token=token).status_code, 200)

    def test_query_counts(self):
        self.assertEqual(self.count_queries(lambda: self.api(f"claims/{self.claim.pk}/citation")), 1)
        self.assertEqual(self.count_queries(lambda: self.api(f"contradictions/{self.proposition.slug}/citation")), 2)
