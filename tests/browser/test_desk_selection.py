"""Recording a claim from a selection made without a mouse: by touch, or with the keyboard."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from claims.roles import ANALYSTS
from sources.models import Source
from tests.base import make_user
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.browser.test_desk import ARTICLE, SOIL, log_in, open_source, select_with_mouse

RECORD = "Record a claim from the selected text"


def select_by_script(page, phrase: str) -> None:
    """Select ``phrase`` as a long press and the selection handles do: no mouse events at all."""
    page.evaluate(
        """(phrase) => {
          const container = document.getElementById("source-text");
          const at = container.textContent.indexOf(phrase);
          const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
          let node, offset = 0, start = null, end = null;
          while ((node = walker.nextNode())) {
            if (!start && at < offset + node.data.length) start = [node, at - offset];
            if (start && at + phrase.length <= offset + node.data.length) { end = [node, at + phrase.length - offset]; break; }
            offset += node.data.length;
          }
          window.getSelection().setBaseAndExtent(...start, ...end);
        }""",
        phrase,
    )


def put_caret_before(page, phrase: str) -> None:
    """Where an analyst's arrow keys would have brought the caret: just before ``phrase``."""
    page.evaluate(
        """(phrase) => {
          const container = document.getElementById("source-text");
          const at = container.textContent.indexOf(phrase);
          const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
          let node, offset = 0;
          while ((node = walker.nextNode())) {
            if (at < offset + node.data.length) { window.getSelection().collapse(node, at - offset); return; }
            offset += node.data.length;
          }
        }""",
        phrase,
    )


@pytest.fixture
def analyst(transactional_db):
    return make_user("nadia", ANALYSTS)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_errors = errors
    yield page
    context.close()


@pytest.fixture
def caret_browsing_page(browser):
    """Chromium with caret browsing on, as an analyst who selects with the keyboard turns it on (F7)."""
    other = browser.browser_type.launch(
        executable_path=CHROMIUM_PATH, args=[*CHROMIUM_ARGS, "--enable-caret-browsing"], headless=True
    )
    page = other.new_page(viewport={"width": 1280, "height": 900})
    yield page
    other.close()


def test_a_selection_made_by_touch_is_offered_and_recorded_with_a_tap(live_server, phone, analyst):
    source = Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    log_in(phone, live_server)
    open_source(phone, "Kabul report")
    button = phone.get_by_role("button", name=RECORD)
    expect(button).to_be_hidden()

    select_by_script(phone, SOIL)

    expect(button).to_be_visible()
    expect(phone.locator("[data-selection-preview]")).to_have_text(f"“{SOIL}”")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    button.tap()
    form = phone.locator("#claim-form")
    expect(form.get_by_label("Exact quote")).to_have_value(SOIL)
    expect(form.locator("[name=start]")).to_have_value(str(ARTICLE.index(SOIL)))
    expect(form.locator(".anchor-preview__where")).to_contain_text("Anchored at characters")
    expect(form.get_by_label("Claimant")).to_be_focused()
    expect(button).to_be_hidden()

    form.get_by_label("Claimant").fill("Zabihullah Mujahid")
    form.locator("#id_claimant_is_new").check()
    form.get_by_label("Paraphrase").fill("Mujahid says Afghan soil is not used against other countries.")
    form.get_by_role("button", name="Save as draft").click()
    claim_mark = phone.locator("#source-text mark.hl--draft")
    expect(claim_mark).to_have_text(SOIL)
    assert Claim.objects.get(source=source).start == ARTICLE.index(SOIL)
    assert phone.csp_errors == []


def test_a_selection_made_with_the_keyboard_is_offered_by_the_next_tab_stop(live_server, caret_browsing_page, analyst):
    page = caret_browsing_page
    Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    log_in(page, live_server)
    open_source(page, "Kabul report")

    page.locator("#source-text").focus()  # the text is a tab stop of its own
    put_caret_before(page, "Afghan soil")
    for _ in range(len(SOIL.split())):
        page.keyboard.press("Control+Shift+ArrowRight")
    assert page.evaluate("String(window.getSelection())") == SOIL
    button = page.get_by_role("button", name=RECORD)
    expect(button).to_be_visible()  # once the selection rests

    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    form = page.locator("#claim-form")
    expect(form.get_by_label("Exact quote")).to_have_value(SOIL)
    expect(form.locator(".anchor-preview__where")).to_contain_text(
        f"Anchored at characters {ARTICLE.index(SOIL)}–{ARTICLE.index(SOIL) + len(SOIL)}"
    )
    expect(form.get_by_label("Claimant")).to_be_focused()


def test_a_mouse_selection_fills_the_form_at_once_without_the_button(live_server, page, analyst):
    Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    log_in(page, live_server)
    open_source(page, "Kabul report")

    select_with_mouse(page, SOIL)

    expect(page.locator("#claim-form").get_by_label("Exact quote")).to_have_value(SOIL)
    # Once the selection has rested and been looked at, no offer repeats what is already done.
    start = ARTICLE.index(SOIL)
    expect(page.locator("[data-selection-action]")).to_have_attribute("data-selection", f"{start}-{start + len(SOIL)}")
    expect(page.get_by_role("button", name=RECORD)).to_be_hidden()
    assert page.csp_errors == []
