"""The claim panel keeps its main action on screen after a selection, on a laptop and on a phone."""

import pytest
from playwright.sync_api import expect

from claims.roles import ANALYSTS
from sources.models import Source
from tests.base import make_user
from tests.browser.test_desk import log_in, select_with_mouse, wait_for_htmx_to_settle

NEAR_THE_TOP = "The Taliban in Afghanistan once again tries to broker a truce"
NEAR_THE_END = "they are not responsible for Pakistan’s internal security issues"
VIEWS = [(1280, 800, NEAR_THE_TOP), (1280, 800, NEAR_THE_END), (1280, 900, NEAR_THE_END), (390, 844, NEAR_THE_END)]


@pytest.mark.parametrize(("width", "height", "phrase"), VIEWS, ids=[f"{w}x{h} {p[:12]}" for w, h, p in VIEWS])
def test_save_as_draft_is_on_screen_after_a_selection(live_server, browser, seeded, width, height, phrase):
    make_user("nadia", ANALYSTS)
    source = Source.objects.get(title__startswith="Taliban Mediates, Again")
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/desk/sources/{source.pk}/")
    wait_for_htmx_to_settle(page)

    select_with_mouse(page, phrase)
    expect(page.locator("#claim-form").get_by_label("Exact quote")).to_have_value(phrase)

    # Visible, and not merely inside the viewport: nothing (the side column's overflow) hides it.
    page.wait_for_function(
        """() => {
          const button = [...document.querySelectorAll("#claim-form button[type=submit]")]
            .find((b) => b.textContent.trim() === "Save as draft");
          const box = button.getBoundingClientRect();
          if (box.top < 0 || box.bottom > window.innerHeight || box.left < 0 || box.right > window.innerWidth) return false;
          return button.contains(document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2));
        }""",
        timeout=3000,
    )
    # The selection survives, so the text the analyst is reading stays where it was.
    assert page.evaluate("String(window.getSelection())") == phrase
    context.close()
