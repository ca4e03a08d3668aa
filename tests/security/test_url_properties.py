"""No address answers with a 5xx, whatever text is put into its parameters.

Every URL pattern of the project (public pages, their .json, the desk, the
admin and its review queue) is requested with arbitrary Unicode in each path
parameter and in every query parameter the views read: digits of other
scripts, numbers too large for any column, bidi controls, NUL, emoji. Each
address is requested anonymously and as a reviewer, with GET and with POST
(the test client sends no CSRF token and does not enforce it, so a POST
reaches the view).

Two passes keep it fast: one deterministic sweep of every pattern with a few
known-hostile values, then Hypothesis drawing patterns and values at random.
"""

import re
from urllib.parse import quote, urlencode

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.base import BaseTestCase, make_claim

# Every query parameter some view reads (claims, desk, search, admin and its review queue).
QUERY_PARAMETERS = (
    "actor", "source", "year", "sort", "page", "q", "start", "exclude", "item", "show", "kind", "quote",
    "prefix", "suffix", "field", "claimant", "reported_by", "proposition", "statement", "paraphrase", "claim",
    "p", "o", "e", "term", "app_label", "model_name", "field_name", "next", "action", "version", "side",
)  # fmt: skip
HOSTILE = ["²", "١٢", "9" * 30, "-1", "\u202eevil\u202c", "\x00", "%", "../", "claim:²"]
ANY_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=6),  # digits of every script
    st.text(st.sampled_from("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069a1"), max_size=8),
)
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def url_patterns(resolver=None, prefix: str = ""):
    """(route with placeholders, parameter names) for every pattern, included resolvers walked."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").replace("\\Z", "").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith(("static/", "media/")):
            yield route, [a or b for a, b in _PARAMETER.findall(route)]


PATTERNS = sorted({(route, tuple(names)) for route, names in url_patterns()})


def fill(route: str, values: dict) -> str:
    def value(match):
        return quote(values[match.group(1) or match.group(2)], safe="")

    return "/" + _PARAMETER.sub(value, route).replace("\\", "")


class EveryAddressTests(BaseTestCase, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.contradiction = cls.build_contradiction(cls)
        cls.draft = make_claim(cls.source, "Its chief spokesman", cls.taliban, cls.analyst)

    def answers(self, path: str, query: dict) -> dict:
        address = f"{path}?{urlencode(query)}" if query else path
        reviewer = Client()
        reviewer.force_login(self.reviewer)
        return {
            f"anonymous GET {address}": Client().get(address).status_code,
            f"reviewer GET {address}": reviewer.get(address).status_code,
            f"reviewer POST {address}": reviewer.post(address, query).status_code,
        }

    def assert_no_server_errors(self, answers: dict):
        self.assertEqual({key: status for key, status in answers.items() if status >= 500}, {})

    def test_the_patterns_are_found(self):
        routes = [route for route, _ in PATTERNS]
        for expected in ("contradictions/<slug:slug>.json", "desk/sources/<int:pk>/", "admin/review/", "search/"):
            self.assertIn(expected, routes)

    def test_every_pattern_answers_hostile_values_without_a_server_error(self):
        for route, names in PATTERNS:
            for hostile in HOSTILE[:4]:
                path = fill(route, dict.fromkeys(names, hostile))
                with self.subTest(route=route, value=hostile):
                    self.assert_no_server_errors(self.answers(path, dict.fromkeys(QUERY_PARAMETERS, hostile)))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_any_text_in_any_parameter_gets_no_server_error(self, data):
        route, names = data.draw(st.sampled_from(PATTERNS), label="pattern")
        values = {name: data.draw(ANY_TEXT, label=name) for name in names}
        query = data.draw(st.dictionaries(st.sampled_from(QUERY_PARAMETERS), ANY_TEXT, max_size=4), label="query")
        self.assert_no_server_errors(self.answers(fill(route, values), query))
