"""Changes of position in a browser: nothing serious for axe-core, no blocked resource, nothing wider than a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

ACTOR_PAGE = "/actors/government-of-pakistan/"
VIEWS = [
    (path, scheme, width)
    for path in (ACTOR_PAGE, "/changes/", "/changes/?actor=government-of-pakistan")
    for scheme, width in (("light", 1280), ("dark", 1280), ("light", 390))
]
BLOCKING = {"serious", "critical"}
# Test records, not seeds: the seeds date no claim, so they hold no change of position.
STATEMENTS = [
    ("relations with Kabul are built on close cooperation and mutual trust", "supports", "2022-03-10"),
    ("cooperation with the Taliban authorities has broken down entirely", "disputes", "2022-09"),
]


@pytest.fixture
def changed(seeded):
    """The seeds, and the Government of Pakistan changing position on whether relations are cooperative."""
    from claims.models import Actor, Proposition, Stance
    from claims.roles import ANALYSTS, REVIEWERS
    from sources.dates import parse_partial_date
    from tests.base import approve, make_claim, make_source, make_user

    analyst, reviewer = make_user("alice", ANALYSTS), make_user("rita", REVIEWERS)
    pakistan = Actor.objects.get(slug="government-of-pakistan")
    proposition = Proposition.objects.get(slug="islamabad-taliban-relations-are-cooperative")
    for number, (quote, side, asserted) in enumerate(STATEMENTS, 1):
        source = make_source(
            text=f"Statement {number}. The Foreign Office said that {quote}.", title=f"Briefing {number}"
        )
        on, precision = parse_partial_date(asserted)
        claim = approve(
            make_claim(source, quote, pakistan, analyst, asserted_on=on, asserted_precision=precision), reviewer
        )
        approve(Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=analyst), reviewer)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize(("path", "scheme", "width"), VIEWS, ids=[f"{p} {s} {w}" for p, s, w in VIEWS])
def test_changes_of_position_read_well_everywhere(live_server, browser, changed, axe, path, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, locale="en-GB")
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + path)

    change = page.locator("article.change").first
    shown = change.inner_text()
    wide = page.evaluate("document.documentElement.scrollWidth")
    results = axe.run(page)
    context.close()

    assert STATEMENTS[0][0] in shown and STATEMENTS[1][0] in shown
    assert "10 March 2022" in shown and "September 2022" in shown
    assert wide <= width
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
    assert csp_errors == []
