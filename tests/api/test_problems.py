"""Every refusal of the API is RFC 9457 problem details, and no bad input gives a 500."""

import json

from django.urls import reverse

from claims.models import Claim, Proposition
from sources.models import Source
from tests.api.base import ApiTestCase, token_for

HUGE = str(10**20)


class ProblemDetailsTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.contradiction = self.build_contradiction()
        self.token = token_for(self.analyst)

    def test_an_unknown_address(self):
        problem = self.assertProblem(self.api("nowhere"), 404, slug="not-found")
        self.assertEqual(problem["instance"], "/api/v1/nowhere")

    def test_a_method_a_path_does_not_take(self):
        response = self.client.delete(f"/api/v1/contradictions/{self.contradiction.slug}")
        problem = self.assertProblem(response, 405)
        self.assertEqual((problem["type"], response["Allow"]), ("about:blank", "GET"))
        self.assertProblem(self.client.post("/api/v1/openapi.json"), 405)

    def test_ids_that_are_no_ids(self):
        for path in ("claims", "stances", "sources"):
            for key in ("%C2%B2", "%D9%A1%D9%A2", HUGE, "-1", "1.0", "%00"):
                with self.subTest(path=path, key=key):
                    self.assertProblem(self.client.get(f"/api/v1/{path}/{key}"), 404, slug="not-found")
        for path in ("contradictions", "actors", "questions"):
            for slug in ("%00", "%C2%B2", "a" * 200, "x%20y"):
                with self.subTest(path=path, slug=slug):
                    self.assertProblem(self.client.get(f"/api/v1/{path}/{slug}"), 404)

    def test_the_problem_types_are_described(self):
        problem = self.assertProblem(self.api("nowhere"), 404)
        described = self.client.get(reverse("api:problems")).json()
        self.assertEqual(described[problem["type"].rsplit("#", 1)[1]]["status"], 404)

    def test_bad_parameters_are_each_named(self):
        response = self.api(
            "claims",
            asserted_from="2022-02-30",
            asserted_to="May 2022",
            updated_since="yesterday",
            limit=201,
            actor="no slug!",
        )
        problem = self.assertProblem(response, 422, slug="invalid-request")
        named = {error["parameter"]: error["detail"] for error in problem["errors"]}
        self.assertEqual(set(named), {"asserted_from", "asserted_to", "updated_since", "limit", "actor"})
        self.assertEqual(named["asserted_from"], "“2022-02-30” is not a real date.")
        self.assertEqual(named["limit"], "Ask for 1 to 200 items a page.")
        for limit in ("0", "abc", HUGE, "1e3"):
            with self.subTest(limit=limit):
                self.assertEqual(
                    self.assertProblem(self.api("claims", limit=limit), 422)["errors"][0]["parameter"], "limit"
                )

    def test_bad_cursors(self):
        claims_cursor = self.api("claims", limit=1).json()["next_cursor"]
        for cursor in ("abc", claims_cursor[:-2] + "xx", self.api("stances", limit=1).json()["next_cursor"], "%00"):
            with self.subTest(cursor=cursor):
                problem = self.assertProblem(self.api("claims", cursor=cursor), 422)
                self.assertEqual(problem["errors"][0]["parameter"], "cursor")

    def test_a_parameter_that_is_not_text(self):
        problem = self.assertProblem(self.client.get("/api/v1/claims?actor=%ff%fe"), 400, slug="unreadable-input")
        self.assertIn("“actor”", problem["detail"])

    def test_credentials_and_scope(self):
        self.assertProblem(self.post_json("propositions", {"statement": "x"}), 401, slug="not-authenticated")
        self.assertProblem(self.api("claims", token="ctk_wrong"), 401)

    def test_malformed_bodies(self):
        for body in (b"{", b"\xff\xfe{}", b'{"statement": "\\ud800"}', b"[" * 100_000 + b"]" * 100_000):
            with self.subTest(body=body[:20]):
                response = self.post_json("propositions", None, token=self.token, raw=body)
                self.assertProblem(response, 400, slug="malformed-body")
        for body in (b"[]", b'"text"', b"{}", b'{"statement": 5}', b'{"statement": null}'):
            with self.subTest(body=body):
                self.assertProblem(self.post_json("propositions", None, token=self.token, raw=body), 422)
        self.assertFalse(Proposition.objects.exclude(pk=self.contradiction.pk).exists())

    def test_a_body_of_10_mb(self):
        body = json.dumps({"title": "Big", "text": "word " * (2 * 1024 * 1024)}).encode()
        self.assertGreater(len(body), 10 * 1024 * 1024)
        problem = self.assertProblem(
            self.post_json("sources", None, token=self.token, raw=body), 413, slug="body-too-large"
        )
        self.assertIn("nothing was saved", problem["detail"])
        self.assertEqual(Source.objects.count(), 1)


class NeverAServerErrorTests(ApiTestCase):
    """A table of hostile input at every endpoint: each answer is a problem (or a page), never a 500."""

    VALUES = ["%00", "%C2%B2", "%ff", HUGE, "-1", "", "x" * 3000, "2022-13-01", "%E2%80%AE", "1%0A2", "null"]

    def setUp(self):
        super().setUp()
        self.contradiction = self.build_contradiction()
        self.token = token_for(self.analyst)

    def test_query_parameters(self):
        names = (
            "actor",
            "source",
            "proposition",
            "language",
            "asserted_from",
            "asserted_to",
            "updated_since",
            "cursor",
            "limit",
            "side",
            "disputed",
        )
        for path in ("contradictions", "questions", "claims", "stances", "actors", "sources"):
            for name in names:
                for value in self.VALUES:
                    response = self.client.get(f"/api/v1/{path}?{name}={value}")
                    self.assertLess(response.status_code, 500, (path, name, value))
                    if response.status_code >= 400:
                        self.assertEqual(response["Content-Type"], "application/problem+json", (path, name, value))

    def test_write_bodies(self):
        claim = Claim.objects.first()
        payloads = {
            "sources": {
                "title": "t",
                "text": "x",
                "url": "javascript:alert(1)",
                "published": "9999-99",
                "language": "x" * 50,
            },
            "claims": {"source": 2**63, "quote": "x", "claimant": "\x00", "paraphrase": "p", "start": -1},
            "stances": {"claim": claim.pk, "proposition": "\x00", "side": "both"},
            "propositions": {"statement": "\x00" * 5, "description": "x" * 100_000},
        }
        headers = {"Authorization": f"Bearer {self.token}"}
        for path, payload in payloads.items():
            for field, value in payload.items():
                for bad in (value, None, [], {}, 1.5, True, "x" * 5000):
                    body = json.dumps(payload | {field: bad})
                    response = self.client.post(
                        f"/api/v1/{path}", body, content_type="application/json", headers=headers
                    )
                    self.assertLess(response.status_code, 500, (path, field, bad))
                    self.assertIn(
                        response.status_code, (201, 400, 409, 422), (path, field, bad, response.content[:200])
                    )
