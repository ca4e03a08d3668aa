"""The proposed-change table keeps each field's name whole, on a laptop and on a phone."""

import pytest

from claims.models import Proposition
from claims.roles import ANALYSTS
from tests.base import make_user
from tests.browser.test_desk import log_in


@pytest.mark.parametrize("width", [1280, 390])
def test_field_names_do_not_break_inside_a_word(live_server, browser, seeded, width):
    analyst = make_user("nadia", ANALYSTS)
    proposition = Proposition.objects.get(slug="ttp-ceasefire-agreed-in-june-2022")
    proposition.propose_revision(analyst, {"description": proposition.description + " A third report gives no date."})
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server)

    page.goto(f"{live_server.url}/desk/propositions/{proposition.slug}/revise/")

    # A one-word name that wraps shows as more than one line box.
    lines = page.evaluate(
        """() => [...document.querySelectorAll(".revision-diff tbody th")].map((th) => {
          const range = document.createRange();
          range.selectNodeContents(th);
          return [th.textContent.trim(), range.getClientRects().length];
        })"""
    )
    context.close()
    assert lines == [["Description", 1]]
