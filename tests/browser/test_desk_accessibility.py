"""axe-core on desk pages that show a notice (Django's messages), on a laptop and a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from claims.roles import ANALYSTS
from tests.base import make_user
from tests.browser.test_desk import import_article, log_in

BLOCKING = {"serious", "critical"}


@pytest.fixture
def analyst(transactional_db):
    return make_user("nadia", ANALYSTS)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_desk_page_with_a_notice_has_no_serious_accessibility_violations(live_server, browser, analyst, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server)
    import_article(page)
    notice = page.get_by_role("status").filter(has_text="Source imported.")
    expect(notice).to_be_visible()

    results = Axe().run(page)
    context.close()

    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
