"""axe-core on every public page, in light and dark colour schemes, on a laptop and a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "/",
    "/contradictions/",
    "/contradictions/?actor=afghan-taliban&sort=claims",
    "/contradictions/afghan-taliban-shelter-and-support-the-ttp/",
    "/contradictions/taliban-mediation-can-bring-ttp-and-pakistan-to-peace/",  # has a timeline
    "/actors/government-of-pakistan/",
    "/actors/afghan-taliban/",
    "/sources/{source}/",
    "/search/?q=Taliban+shelter",
    "/search/?q=nothing+matches+this",
    "/no-such-page/",
]
PHONE_PAGES = ["/", "/contradictions/taliban-mediation-can-bring-ttp-and-pakistan-to-peace/", "/sources/{source}/"]
VIEWS = [(path, "light", 1280) for path in PAGES] + [(path, "dark", 1280) for path in PAGES]
VIEWS += [(path, "light", 390) for path in PHONE_PAGES]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize(("path", "scheme", "width"), VIEWS, ids=[f"{p} {s} {w}" for p, s, w in VIEWS])
def test_public_pages_have_no_serious_accessibility_violations(live_server, browser, seeded, axe, path, scheme, width):
    from sources.models import Source

    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, locale="en-GB")
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + path.format(source=Source.objects.order_by("pk").first().pk))

    results = axe.run(page)
    context.close()

    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
    assert csp_errors == []


def test_the_scan_reports_what_it_should(browser, axe):
    """The scan itself works: a page with a missing alternative text fails it."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><img src="data:,"></main></html>')

    violations = {v["id"]: v["impact"] for v in axe.run(page).response["violations"]}

    context.close()
    assert violations["image-alt"] == "critical"
