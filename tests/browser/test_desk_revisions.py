"""Proposing a change to an approved claim from the desk, and a reviewer reading it in the admin."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Actor, Claim, ReviewState
from claims.roles import ANALYSTS, REVIEWERS
from sources.models import Source
from tests.base import PASSWORD, approve, make_claim, make_user
from tests.browser.test_desk import ARTICLE, SHELTER, log_in, wait_for_htmx_to_settle

OLD_PARAPHRASE = "Pakistan says the Taliban shelter TTP fighters."
NEW_PARAPHRASE = "Pakistan’s foreign office says the Afghan Taliban shelter TTP fighters on Afghan soil."


@pytest.fixture
def approved_claim(transactional_db):
    """An approved claim recorded by the analyst nadia and approved by the reviewer rosa."""
    analyst = make_user("nadia", ANALYSTS)
    make_user("rita", REVIEWERS, is_staff=True)
    rosa = make_user("rosa", REVIEWERS, is_staff=True)
    source = Source.objects.create(state="approved", title="Kabul report", text=ARTICLE, created_by=analyst)
    pakistan = Actor.objects.create(state="approved", name="Government of Pakistan", kind="government")
    claim = make_claim(source, SHELTER, pakistan, analyst, paraphrase=OLD_PARAPHRASE)
    return approve(claim, rosa)


def open_the_change_panel(page, live_server, claim):
    log_in(page, live_server)
    page.get_by_role("link", name="Kabul report").click()
    expect(page.get_by_role("heading", name="Kabul report", level=1)).to_be_visible()
    wait_for_htmx_to_settle(page)
    page.evaluate("window.deskPageMarker = 'still here'")
    page.locator(f"#claim-{claim.pk}").get_by_role("link", name="Propose a change").click()
    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("heading", name="Propose a change to this claim")).to_be_visible()
    wait_for_htmx_to_settle(page)
    return panel


def test_an_analyst_proposes_a_change_and_a_reviewer_reads_its_diff(live_server, page, approved_claim):
    claim = approved_claim
    panel = open_the_change_panel(page, live_server, claim)

    # The panel takes the keyboard focus and the address names it; the form holds the approved values.
    expect(panel).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/desk/claims/{claim.pk}/revise/$"))
    expect(panel.get_by_label("Exact quote")).to_have_value(SHELTER)
    expect(panel.get_by_label("Paraphrase")).to_have_value(OLD_PARAPHRASE)
    panel.get_by_label("Paraphrase").fill(NEW_PARAPHRASE)
    panel.get_by_label("Why the change").fill("Name the foreign office, as the source does.")
    panel.get_by_role("button", name="Send the change to review").click()

    expect(panel.locator(".notice--success")).to_contain_text("Change sent to review")
    diff = panel.get_by_role("table", name="The proposed change")
    expect(diff.get_by_role("row", name=re.compile("Paraphrase"))).to_contain_text(OLD_PARAPHRASE)
    expect(diff.get_by_role("row", name=re.compile("Paraphrase"))).to_contain_text(NEW_PARAPHRASE)
    expect(panel).to_be_focused()
    assert page.evaluate("window.deskPageMarker") == "still here"  # no full page load
    revision = claim.pending_revision()
    assert (revision.state, revision.created_by.username) == (ReviewState.PENDING, "nadia")
    claim.refresh_from_db()
    assert claim.paraphrase == OLD_PARAPHRASE  # readers keep the approved version

    # Closing the panel brings back the claim form and the source's own address.
    panel.get_by_role("link", name="Close").click()
    expect(page.locator("#claim-panel").get_by_role("heading", name="Record a claim")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/desk/sources/{claim.source_id}/$"))
    # Opening it again says the change waits for review instead of offering a second one.
    wait_for_htmx_to_settle(page)
    page.locator(f"#claim-{claim.pk}").get_by_role("link", name="Propose a change").click()
    expect(page.locator("#claim-panel")).to_contain_text("A change to this claim is waiting for review")
    expect(page.locator("#claim-panel").get_by_role("button", name="Send the change to review")).to_have_count(0)
    assert page.csp_errors == []

    # The reviewer finds it in the queue and reads the change field by field.
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/?next=/admin/review/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Change to claim “Government of Pakistan: ")).click()
    expect(page.locator(".revision-diff__old", has_text=OLD_PARAPHRASE)).to_be_visible()
    expect(page.locator(".revision-diff__new", has_text=NEW_PARAPHRASE)).to_be_visible()
    expect(page.locator(".revision-diff__new ins", has_text="foreign office")).to_be_visible()
    expect(page.get_by_text("Name the foreign office, as the source does.")).to_be_visible()
    assert page.csp_errors == []


def test_a_change_to_a_claim_someone_changed_meanwhile_is_refused_without_losing_text(
    live_server, page, approved_claim
):
    claim = approved_claim
    panel = open_the_change_panel(page, live_server, claim)
    panel.get_by_label("Paraphrase").fill(NEW_PARAPHRASE)
    panel.get_by_label("Why the change").fill("Name the foreign office.")

    # Meanwhile a colleague's change to the same claim is approved.
    colleague = make_user("omar", ANALYSTS)
    claim.propose_revision(colleague, {"paraphrase": "Islamabad accuses Kabul of sheltering the TTP."}).approve(
        Claim.objects.get(pk=claim.pk).reviewed_by
    )

    panel.get_by_role("button", name="Send the change to review").click()

    conflict = page.locator("#claim-panel [data-stale]")
    expect(conflict).to_contain_text("Someone else saved this claim")
    expect(conflict).to_contain_text("Islamabad accuses Kabul of sheltering the TTP.")
    panel = page.locator("#claim-panel")
    expect(panel.get_by_label("Paraphrase")).to_have_value(NEW_PARAPHRASE)
    expect(panel.get_by_label("Why the change")).to_have_value("Name the foreign office.")
    expect(panel).to_be_focused()
    assert claim.pending_revision() is None

    # Having seen their version, the analyst sends theirs again.
    wait_for_htmx_to_settle(page)
    panel.get_by_role("button", name="Send the change to review").click()
    expect(page.locator("#claim-panel .notice--success")).to_contain_text("Change sent to review")
    assert claim.pending_revision().changes == {"paraphrase": NEW_PARAPHRASE}
    assert page.csp_errors == []
