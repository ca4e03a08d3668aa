"""A reviewer works through the queue in the admin, and readers see only what was approved."""

import pytest
from playwright.sync_api import expect

from claims.models import Proposition, ReviewState
from claims.roles import ANALYSTS, REVIEWERS
from tests.base import PASSWORD, approve, make_claim, make_source, make_user


@pytest.fixture
def review_case(transactional_db):
    """An approved proposition and two claims about it waiting for review, each with its stance."""
    from claims.models import Actor, Stance

    analyst = make_user("alice", ANALYSTS, is_staff=True)
    reviewer = make_user("rita", REVIEWERS, is_staff=True)
    source = make_source(
        text=(
            "Islamabad says the Taliban shelter TTP fighters near the border.\n\n"
            "Kabul says it gives the TTP no support of any kind."
        ),
        title="Border report",
        created_by=analyst,
    )
    pakistan = Actor.objects.create(state="approved", name="Government of Pakistan", kind="government")
    taliban = Actor.objects.create(state="approved", name="Afghan Taliban", kind="government")
    proposition = approve(
        Proposition.objects.create(statement="The Taliban shelter the TTP.", created_by=analyst), reviewer
    )
    claims = {}
    for key, quote, claimant, side in (
        ("keep", "the Taliban shelter TTP fighters near the border", pakistan, "supports"),
        ("drop", "it gives the TTP no support of any kind", taliban, "disputes"),
    ):
        claim = make_claim(source, quote, claimant, analyst)
        claim.submit(analyst)
        stance = Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=analyst)
        stance.submit(analyst)
        claims[key] = (claim, stance)
    return {"reviewer": reviewer, "proposition": proposition, "claims": claims}


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/?next=/admin/review/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()


def select(page, record):
    page.locator(f'input[name="item"][value="{record._meta.model_name}:{record.pk}"]').check()


def test_reviewer_rejects_one_claim_approves_another_and_readers_see_only_the_approved(live_server, page, review_case):
    keep_claim, keep_stance = review_case["claims"]["keep"]
    drop_claim, _ = review_case["claims"]["drop"]
    log_in(page, live_server, "rita")

    select(page, drop_claim)
    page.get_by_label("With the selected items:").select_option("reject")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", name="Reject this claim?")).to_be_visible()
    page.get_by_label("Reason for rejecting").fill("Kabul's denial is quoted from a later interview; use that source.")
    page.get_by_role("button", name="Yes, reject").click()
    expect(page.locator(".messagelist")).to_contain_text("Rejected: claim")

    select(page, keep_claim)
    select(page, keep_stance)
    page.get_by_label("With the selected items:").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved: claim")

    page.goto(live_server.url + review_case["proposition"].get_absolute_url())
    expect(page.get_by_text("the Taliban shelter TTP fighters near the border").first).to_be_visible()
    expect(page.get_by_text("it gives the TTP no support of any kind")).to_have_count(0)
    drop_claim.refresh_from_db()
    assert (drop_claim.state, drop_claim.review_reason) == (
        ReviewState.REJECTED,
        "Kabul's denial is quoted from a later interview; use that source.",
    )
    assert page.csp_errors == []


def test_the_claim_page_marks_the_quote_under_the_strict_policy(live_server, page, review_case):
    claim, _ = review_case["claims"]["keep"]
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    mark = page.locator("blockquote.quote-in-context mark")
    expect(mark).to_have_text("the Taliban shelter TTP fighters near the border")
    # The highlight is styled by the review stylesheet, not left to the browser default.
    assert mark.evaluate("element => getComputedStyle(element).backgroundColor") == "rgb(255, 224, 130)"
    assert page.csp_errors == []


def test_the_queue_fits_a_phone_screen(live_server, page, review_case):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "rita")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    expect(page.get_by_role("button", name="Go")).to_be_visible()
    assert page.csp_errors == []


def test_select_all_ticks_every_item(live_server, page, review_case):
    log_in(page, live_server, "rita")
    page.get_by_label("Select all items shown").check()
    expect(page.locator('input[name="item"]:checked')).to_have_count(4)
