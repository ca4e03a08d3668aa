"""The OpenAPI schema describes every endpoint, and the documentation page keeps the strict policy."""

from unittest import mock

from django.urls import reverse

from claims.models import StaleEdit
from tests.api.base import ApiTestCase, token_for
from tests.base import make_claim


class SchemaTests(ApiTestCase):
    def test_the_documentation_groups_every_endpoint_by_what_it_reads_or_writes(self):
        schema = self.client.get(reverse("api:openapi-json")).json()
        tags = {
            f"{method.upper()} {path}": operation.get("tags")
            for path, operations in schema["paths"].items()
            for method, operation in operations.items()
        }
        self.assertEqual([name for name, tag in tags.items() if tag in (None, [], ["default"])], [])
        self.assertEqual(tags["GET /api/v1/contradictions/{slug}"], ["contradictions"])
        self.assertEqual(tags["GET /api/v1/claims/{claim_id}/citation"], ["citations"])
        self.assertEqual(tags["POST /api/v1/claims"], ["drafts"])

    def test_the_schema_lists_every_endpoint_with_its_problems(self):
        schema = self.client.get(reverse("api:openapi-json")).json()
        self.assertEqual(schema["info"]["title"], "Claim Tracker API")
        expected = {
            "/api/v1/contradictions": {"get"},
            "/api/v1/contradictions/{slug}": {"get"},
            "/api/v1/contradictions/{slug}/citation": {"get"},
            "/api/v1/questions": {"get"},
            "/api/v1/questions/{slug}": {"get"},
            "/api/v1/claims": {"get", "post"},
            "/api/v1/claims/{claim_id}": {"get"},
            "/api/v1/claims/{claim_id}/citation": {"get"},
            "/api/v1/claims/{claim_id}/submit": {"post"},
            "/api/v1/stances": {"get", "post"},
            "/api/v1/stances/{stance_id}": {"get"},
            "/api/v1/stances/{stance_id}/submit": {"post"},
            "/api/v1/actors": {"get"},
            "/api/v1/actors/{slug}": {"get"},
            "/api/v1/sources": {"get", "post"},
            "/api/v1/sources/{source_id}": {"get"},
            "/api/v1/sources/{source_id}/submit": {"post"},
            "/api/v1/propositions": {"post"},
            "/api/v1/propositions/{slug}/submit": {"post"},
            "/api/v1/problems": {"get"},
        }
        self.assertEqual({path: set(operations) for path, operations in schema["paths"].items()}, expected)
        claims = schema["paths"]["/api/v1/claims"]["get"]
        self.assertEqual(
            {parameter["name"] for parameter in claims["parameters"]},
            {
                "actor",
                "source",
                "proposition",
                "language",
                "asserted_from",
                "asserted_to",
                "updated_since",
                "cursor",
                "limit",
            },
        )
        self.assertIn("422", claims["responses"])
        self.assertEqual(schema["components"]["securitySchemes"]["TokenAuth"]["scheme"], "bearer")

    def test_the_docs_page_loads_only_our_files_under_the_site_policy(self):
        response = self.client.get(reverse("api:openapi-view"))
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)
        html = response.content.decode()
        self.assertIn('src="/static/vendor/swagger-ui/swagger-ui-bundle.js"', html)
        self.assertIn('src="/static/js/api-docs.js"', html)
        self.assertNotIn("<script>", html)
        self.assertNotIn("style=", html)
        self.assertNotIn("//cdn", html)


class ConflictTests(ApiTestCase):
    def test_a_stale_edit_is_a_409_with_the_current_version(self):
        claim = make_claim(self.source, "KABUL", self.pakistan, self.analyst)
        token = token_for(self.analyst)
        with mock.patch("api.drafts.submit_claim", side_effect=StaleEdit(claim)):
            response = self.post_json(f"claims/{claim.pk}/submit", None, token=token, raw=b"")
        problem = self.assertProblem(response, 409, slug="conflict")
        self.assertEqual(problem["version"], claim.version)
