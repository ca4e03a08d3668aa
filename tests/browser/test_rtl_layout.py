"""The Urdu site in Chromium: right to left, mirrored, nothing scrolling sideways, and accessible.

On a phone (390 px) and a laptop (1280 px): the home page and the shelter
contradiction have no horizontal scroll, the contradiction's first side
(supports) stands at the right of the second, and axe-core finds no serious or
critical violation. Strings not yet translated show in English: the layout and
the checks hold either way.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

SHELTER = "/ur/contradictions/afghan-taliban-shelter-and-support-the-ttp/"
PAGES = ["/ur/", SHELTER]
VIEWS = [(path, width) for path in PAGES for width in (390, 1280)]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


def open_page(browser, live_server, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ur-PK")
    page = context.new_page()
    page.goto(live_server.url + path)
    page.wait_for_selector("html[dir=rtl]")
    return context, page


@pytest.mark.parametrize(("path", "width"), VIEWS, ids=[f"{p} {w}" for p, w in VIEWS])
def test_the_urdu_pages_do_not_scroll_sideways(live_server, browser, seeded, path, width):
    context, page = open_page(browser, live_server, path, width)

    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )

    context.close()
    assert scroll_width <= client_width


def test_the_first_side_stands_at_the_right_in_urdu(live_server, browser, seeded):
    context, page = open_page(browser, live_server, SHELTER, 1280)

    supports = page.locator(".side--supports").bounding_box()
    disputes = page.locator(".side--disputes").bounding_box()

    context.close()
    assert supports["x"] > disputes["x"] + disputes["width"] - 1


def test_the_same_page_in_english_keeps_the_first_side_at_the_left(live_server, browser, seeded):
    context, page = open_page(browser, live_server, SHELTER, 1280)
    page.locator(".language-switcher a[hreflang=en]").click()  # its label is in Urdu here
    page.wait_for_selector("html[dir=ltr]")

    supports = page.locator(".side--supports").bounding_box()
    disputes = page.locator(".side--disputes").bounding_box()
    address = page.url

    context.close()
    assert address == live_server.url + SHELTER.removeprefix("/ur")
    assert supports["x"] + supports["width"] - 1 < disputes["x"]


@pytest.mark.parametrize(("path", "width"), VIEWS, ids=[f"{p} {w}" for p, w in VIEWS])
def test_the_urdu_pages_have_no_serious_accessibility_violations(live_server, browser, seeded, axe, path, width):
    context, page = open_page(browser, live_server, path, width)

    results = axe.run(page)

    context.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
