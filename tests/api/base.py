"""The API's tests: the shared cast (tests.base), tokens for them, and requests as a script sends them."""

import json

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from api.models import ApiToken, TokenScope
from tests.reader.builders import ReaderTestCase


def token_for(user, scope=TokenScope.WRITE, name="script") -> str:
    """A new token of ``user``'s; its secret."""
    return ApiToken.issue(user=user, name=name, scope=scope)[1]


# Tests make many requests from one address; tests/api/test_limits.py sets the limits it tests.
@override_settings(API_RATE_LIMIT_ANONYMOUS=100_000, API_RATE_LIMIT_TOKEN=100_000)
class ApiTestCase(ReaderTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rate limit counters

    def api(self, path: str, *, token: str | None = None, **params):
        """GET /api/v1/<path> with ``params``, as a reader or with ``token``."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(f"/api/v1/{path}", params, headers=headers)

    def post_json(self, path: str, data, *, token: str | None = None, raw: bytes | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = raw if raw is not None else json.dumps(data)
        return self.client.post(f"/api/v1/{path}", body, content_type="application/json", headers=headers)

    def items(self, path: str, **params) -> list[dict]:
        response = self.api(path, **params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["items"]

    def every_item(self, path: str, **params) -> list[dict]:
        """Every item of a list, following its cursors."""
        items, params = [], {**params}
        while True:
            page = self.api(path, **params).json()
            items += page["items"]
            if not page["next_cursor"]:
                return items
            params["cursor"] = page["next_cursor"]

    def assertProblem(self, response, status: int, *, slug: str | None = None) -> dict:
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        problem = response.json()
        self.assertEqual(problem["status"], status)
        self.assertTrue(problem["title"] and problem["detail"] and problem["instance"])
        if slug:
            self.assertTrue(problem["type"].endswith(f"/api/v1/problems#{slug}"), problem["type"])
        return problem

    def count_queries(self, call) -> int:
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries)
