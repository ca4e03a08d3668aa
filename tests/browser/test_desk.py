"""The analyst desk in Chromium: what only a browser shows (selection offsets, swaps without reloads)."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Actor, Claim, Proposition, ReviewState, Side, Stance
from claims.roles import ANALYSTS
from sources.models import Source
from tests.base import PASSWORD, make_user

ARTICLE = (
    "KABUL – Talks between Islamabad and the TTP stalled again this week.\n\n"
    "Pakistan’s foreign office said that “the Afghan Taliban continue to shelter TTP fighters on their soil”, "
    "and asked Kabul to act.\n\n"
    "Zabihullah Mujahid, the Taliban’s chief spokesman, replied that “Afghan soil is not used against any "
    "country”, and that Kabul wants good relations with its neighbours.\n\n"
    "A diplomat in Kabul said the Taliban have limited influence over the group’s leadership."
)
SHELTER = "the Afghan Taliban continue to shelter TTP fighters on their soil"
SOIL = "Afghan soil is not used against any country"
INFLUENCE = "the Taliban have limited influence over the group’s leadership"
STATEMENT = "The Afghan Taliban shelter TTP fighters."


@pytest.fixture
def analyst(transactional_db):
    """An analyst. The live server's flushes remove the role groups; make_user recreates them."""
    return make_user("nadia", ANALYSTS)


def log_in(page, live_server, username="nadia"):
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", name="Your desk")).to_be_visible()


def wait_for_htmx_to_settle(page) -> None:
    """Wait until htmx has finished swapping and settling.

    htmx pushes the new address and swaps the content first, and settles 20 ms
    later; for boosted links and forms settling includes scrolling to the top.
    A test that acts as soon as the address or a heading appears races that
    scroll: coordinates measured before it point at other text after it.
    """
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def open_source(page, title: str) -> None:
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    wait_for_htmx_to_settle(page)


def select_with_mouse(page, phrase: str) -> None:
    """Drag the mouse across ``phrase`` in the source text, as an analyst would."""
    wait_for_htmx_to_settle(page)
    box = page.evaluate(
        """(phrase) => {
          const container = document.getElementById("source-text");
          const at = container.textContent.indexOf(phrase);
          if (at < 0) throw new Error("phrase not in text: " + phrase);
          const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
          let node, offset = 0, start = null, end = null;
          while ((node = walker.nextNode())) {
            const length = node.data.length;
            if (!start && at < offset + length) start = [node, at - offset];
            if (start && at + phrase.length <= offset + length) { end = [node, at + phrase.length - offset]; break; }
            offset += length;
          }
          const range = document.createRange();
          range.setStart(...start);
          range.setEnd(...end);
          window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 3);
          const rects = range.getClientRects();
          const first = rects[0], last = rects[rects.length - 1];
          return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        phrase,
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    assert page.evaluate("String(window.getSelection())") == phrase, "the drag selected other text"


def import_article(page) -> None:
    page.get_by_role("link", name="Import a source").first.click()
    expect(page.get_by_role("heading", name="Import a source")).to_be_visible()
    wait_for_htmx_to_settle(page)  # so the form is sent by htmx, not as a full page load
    page.get_by_label("Title").fill("Talks stall as Kabul denies sheltering the TTP")
    page.get_by_label("Outlet").fill("Example Daily")
    page.get_by_label("Published").fill("2022-12")
    page.get_by_label("Text", exact=True).fill(ARTICLE)
    page.get_by_role("button", name="Save source").click()
    expect(page).to_have_url(re.compile(r"/desk/sources/\d+/$"))
    wait_for_htmx_to_settle(page)


def record_selected_claim(page, phrase, *, claimant, paraphrase, new_actor=False, proposition="", new=False, side=""):
    select_with_mouse(page, phrase)
    form = page.locator("#claim-form")
    expect(form.get_by_label("Exact quote")).to_have_value(phrase)
    expect(form.locator(".anchor-preview__where")).to_contain_text("Anchored at characters")
    form.get_by_label("Claimant").fill(claimant)
    if new_actor:
        form.locator("#id_claimant_is_new").check()
        form.locator("#id_claimant_kind").select_option("person")
    form.get_by_label("Paraphrase").fill(paraphrase)
    if proposition:
        form.get_by_label("Proposition", exact=True).fill(proposition)
        if new:
            form.get_by_label("New proposition: create it").check()
        form.get_by_label("Stance").select_option(side)
    form.get_by_role("button", name="Save as draft").click()
    notice = page.locator("#claim-panel .notice--success")
    expect(notice).to_contain_text(f"Claim by {claimant} recorded as a draft.")
    expect(notice.get_by_role("link", name="See it in the claims of this source")).to_have_attribute(
        "href", "#source-claims"
    )


def test_selecting_a_passage_records_a_claim_with_a_new_actor_and_highlights_it(live_server, page, analyst):
    Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    log_in(page, live_server)
    open_source(page, "Kabul report")
    page.evaluate("window.deskPageMarker = 'still here'")

    select_with_mouse(page, SOIL)
    form = page.locator("#claim-form")
    expect(form.get_by_label("Exact quote")).to_have_value(SOIL)
    start = ARTICLE.index(SOIL)
    expect(form.locator(".anchor-preview__where")).to_have_text(f"Anchored at characters {start}–{start + len(SOIL)}.")
    form.get_by_label("Paraphrase").fill("Mujahid says Afghan soil is not used against other countries.")
    form.get_by_label("Claimant").fill("Zabihullah Mujahid")
    form.get_by_role("button", name="Save as draft").click()
    # Not an actor yet: refused in the panel, with the selection and the typing kept.
    expect(page.locator("#id_claimant_error")).to_contain_text("No actor is called “Zabihullah Mujahid”")
    expect(page.locator("#claim-form").get_by_label("Exact quote")).to_have_value(SOIL)
    expect(page.locator("#claim-form").get_by_label("Claimant")).to_be_focused()
    form = page.locator("#claim-form")
    form.locator("#id_claimant_is_new").check()
    form.get_by_role("button", name="Save as draft").click()

    expect(page.locator("#claim-panel .notice--success")).to_contain_text("Claim by Zabihullah Mujahid recorded")
    claim = Claim.objects.get()
    highlight = page.locator(f'#source-text mark[data-claims="{claim.pk}"]')
    expect(highlight).to_have_text(SOIL)
    expect(highlight).to_have_class(re.compile(r"\bhl--draft\b"))
    assert (claim.start, claim.end, claim.claimant.name) == (start, start + len(SOIL), "Zabihullah Mujahid")
    assert Actor.objects.get(name="Zabihullah Mujahid").created_by == analyst
    assert page.evaluate("window.deskPageMarker") == "still here"  # no page reload
    assert page.csp_errors == []


def test_offsets_count_characters_beyond_the_basic_plane_as_python_does(live_server, page, analyst):
    text = "Emoji first 😀😀 then: the quoted words follow here."
    Source.objects.create(state="approved", title="Emoji", text=text, created_by=analyst)
    log_in(page, live_server)
    open_source(page, "Emoji")
    select_with_mouse(page, "the quoted words")
    start = text.index("the quoted words")
    expect(page.locator("#claim-form [name=start]")).to_have_value(str(start))
    expect(page.locator(".anchor-preview__where")).to_contain_text(f"characters {start}–{start + 16}")


def test_a_claim_moves_between_columns_on_a_board(live_server, page, analyst):
    source = Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    taliban = Actor.objects.create(state="approved", name="Afghan Taliban", kind="government")
    claim = Claim.record(source=source, quote=SOIL, claimant=taliban, paraphrase="Not used.", created_by=analyst)
    proposition = Proposition.objects.create(statement=STATEMENT, created_by=analyst)
    stance = Stance.objects.create(claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=analyst)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/desk/propositions/{proposition.slug}/")
    page.evaluate("window.deskPageMarker = 'still here'")
    supports, disputes = page.locator("#stances-supports"), page.locator("#stances-disputes")
    expect(supports.locator(f"#stance-{stance.pk}")).to_be_visible()

    supports.locator(f"#stance-{stance.pk}").get_by_role("button", name="Disputes").click()

    expect(disputes.locator(f"#stance-{stance.pk}")).to_be_visible()
    expect(supports.locator(f"#stance-{stance.pk}")).to_have_count(0)
    expect(page.locator("#count-disputes")).to_have_text("1")
    expect(page.locator("#count-supports")).to_have_text("0")
    expect(disputes.locator(f"#stance-{stance.pk}")).to_be_focused()
    stance.refresh_from_db()
    assert stance.side == Side.DISPUTES
    # Side by side on a wide screen.
    columns = page.locator(".board-columns > .column")
    assert abs(columns.nth(0).bounding_box()["y"] - columns.nth(1).bounding_box()["y"]) < 2
    assert page.evaluate("window.deskPageMarker") == "still here"
    assert page.csp_errors == []


def test_the_same_claim_can_be_recorded_without_javascript(live_server, browser, analyst):
    source = Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server)
    open_source(page, "Kabul report")

    form = page.locator("#claim-form")
    form.get_by_label("Exact quote").fill(SOIL.replace("Afghan soil", "Afghan  soil"))  # pasted, spacing differs
    form.get_by_label("Claimant").fill("Zabihullah Mujahid")
    form.locator("#id_claimant_is_new").check()
    form.get_by_label("Paraphrase").fill("Mujahid says Afghan soil is not used against other countries.")
    form.get_by_label("Proposition", exact=True).fill(STATEMENT)
    form.get_by_label("New proposition: create it").check()
    form.get_by_label("Stance").select_option("disputes")
    form.get_by_role("button", name="Save as draft").click()

    expect(page).to_have_url(f"{live_server.url}/desk/sources/{source.pk}/")
    claim = Claim.objects.get()
    expect(page.locator(f'#source-text mark[data-claims="{claim.pk}"]')).to_have_text(SOIL)
    assert claim.start == ARTICLE.index(SOIL)
    assert Stance.objects.get(claim=claim).side == Side.DISPUTES

    # A quote that is not in the text is refused and everything typed stays.
    form = page.locator("#claim-form")
    form.get_by_label("Exact quote").fill("Afghan soil is used against every country")
    form.get_by_label("Claimant").fill("Zabihullah Mujahid")
    form.get_by_label("Paraphrase").fill("A paraphrase worth keeping.")
    form.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#id_quote_error")).to_contain_text("The quote is not in the source text")
    expect(page.locator("#claim-form").get_by_label("Paraphrase")).to_have_value("A paraphrase worth keeping.")
    context.close()


def test_a_stale_edit_is_refused_without_losing_text(live_server, page, analyst):
    source = Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    taliban = Actor.objects.create(state="approved", name="Afghan Taliban", kind="government")
    claim = Claim.record(source=source, quote=SOIL, claimant=taliban, paraphrase="Not used.", created_by=analyst)
    proposition = Proposition.objects.create(statement=STATEMENT, created_by=analyst)
    stance = Stance.objects.create(claim=claim, proposition=proposition, side=Side.DISPUTES, created_by=analyst)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/desk/propositions/{proposition.slug}/")
    page.locator(f"#stance-{stance.pk}").get_by_role("link", name="Edit").click()
    note = page.locator(f"#stance-{stance.pk}").get_by_label("Note on this stance")
    expect(note).to_be_visible()
    wait_for_htmx_to_settle(page)
    note.fill("My long careful note about why this disputes the proposition.")

    # Meanwhile a colleague saves a different note.
    stance.note = "A colleague's note."
    stance.save_edit(expected_version=stance.version, fields=["note"])

    page.locator(f"#stance-{stance.pk}").get_by_role("button", name="Save").click()
    conflict = page.locator(f"#stance-{stance.pk} [data-stale]")
    expect(conflict).to_contain_text("Someone else saved this stance")
    expect(conflict).to_contain_text("A colleague's note.")
    expect(page.locator(f"#stance-{stance.pk}").get_by_label("Note on this stance")).to_have_value(
        "My long careful note about why this disputes the proposition."
    )
    stance.refresh_from_db()
    assert stance.note == "A colleague's note."

    # Saving again, having seen their note, keeps the analyst's.
    page.locator(f"#stance-{stance.pk}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#stance-{stance.pk} .claim__note")).to_contain_text("My long careful note")
    stance.refresh_from_db()
    assert stance.note.startswith("My long careful note")
    assert page.csp_errors == []


def test_a_refused_request_is_explained_not_silent(live_server, page, analyst):
    source = Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    taliban = Actor.objects.create(state="approved", name="Afghan Taliban", kind="government")
    claim = Claim.record(source=source, quote=SOIL, claimant=taliban, paraphrase="Not used.", created_by=analyst)
    log_in(page, live_server)
    open_source(page, "Kabul report")
    claim.submit(analyst)  # sent to review from another tab

    page.locator(f"#claim-{claim.pk}").get_by_role("link", name="Edit").click()

    expect(page.locator("#desk-status")).to_contain_text("This claim is pending review")


def test_an_analyst_imports_records_three_claims_arranges_and_submits_without_reloads(live_server, page, analyst):
    Actor.objects.create(state="approved", name="Government of Pakistan", kind="government", aliases="Islamabad")
    log_in(page, live_server)
    page.evaluate("window.deskPageMarker = 'still here'")

    import_article(page)
    record_selected_claim(
        page,
        SHELTER,
        claimant="Government of Pakistan",
        paraphrase="Pakistan says the Taliban shelter TTP fighters.",
        proposition=STATEMENT,
        new=True,
        side="supports",
    )
    record_selected_claim(
        page,
        SOIL,
        claimant="Zabihullah Mujahid",
        new_actor=True,
        paraphrase="Mujahid says Afghan soil is not used against others.",
    )
    # The third claimant comes from the type-ahead.
    select_with_mouse(page, INFLUENCE)
    form = page.locator("#claim-form")
    expect(form.locator(".anchor-preview__where")).to_contain_text("Anchored at characters")
    form.get_by_label("Claimant").press_sequentially("Islam")
    page.locator("#claimant-suggestions").get_by_role("button", name=re.compile("Government of Pakistan")).click()
    expect(form.get_by_label("Claimant")).to_have_value("Government of Pakistan")
    form.get_by_label("Paraphrase").fill("A diplomat says the Taliban have little sway over the TTP leadership.")
    form.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#source-text mark")).to_have_count(3)

    # To the board, where the second claim is added on the opposing side and the third qualifies.
    page.locator("#source-claims").get_by_role("link", name=STATEMENT).first.click()
    expect(page.get_by_role("heading", name=STATEMENT, level=1)).to_be_visible()
    wait_for_htmx_to_settle(page)  # the search box listens only once htmx has processed it
    search = page.get_by_label("Find claims by their words, claimant or source")
    search.fill("Afghan soil")
    soil = Claim.objects.get(quote=SOIL)
    page.locator(f"#result-{soil.pk}").get_by_role("button", name="Disputes").click()
    expect(page.locator("#stances-disputes").get_by_text(SOIL)).to_be_visible()
    wait_for_htmx_to_settle(page)
    search.fill("limited influence")
    influence = Claim.objects.get(quote=INFLUENCE)
    page.locator(f"#result-{influence.pk}").get_by_role("button", name="Supports").click()
    card = page.locator("#stances-supports").locator("article", has_text=INFLUENCE)
    expect(card).to_be_visible()
    wait_for_htmx_to_settle(page)
    card.get_by_role("button", name="Qualifies").click()
    expect(page.locator("#stances-qualifies").get_by_text(INFLUENCE)).to_be_visible()

    page.get_by_role("button", name=re.compile(r"Send my 7 drafts on this board to review")).click()
    expect(page.locator("#board-header .notice--success")).to_contain_text("Sent to review")

    assert {claim.state for claim in Claim.objects.all()} == {ReviewState.PENDING}
    assert {stance.state for stance in Stance.objects.all()} == {ReviewState.PENDING}
    assert Proposition.objects.get().state == ReviewState.PENDING
    sides = dict(Stance.objects.values_list("claim__quote", "side"))
    assert sides == {SHELTER: Side.SUPPORTS, SOIL: Side.DISPUTES, INFLUENCE: Side.QUALIFIES}
    assert page.evaluate("window.deskPageMarker") == "still here"  # not one full page load on the way
    assert page.csp_errors == []
