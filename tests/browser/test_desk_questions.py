"""Answering a question at the desk, in Chromium: from a passage selected in a source to a mark on the public axis.

An analyst selects a passage, records it as a claim, answers a question with it from the claim panel (a
value that does not exist is refused first) and sends both to review; a reviewer approves them in the
admin's queue; readers then see the new answer on the question's axis, conflicting with the one before,
and the question among the contradictions.
"""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Actor, Answer, Claim, Question, ReviewState
from claims.roles import ANALYSTS, REVIEWERS
from tests.base import approve, make_claim, make_source, make_user
from tests.browser.test_admin_review import log_in as log_in_to_the_admin
from tests.browser.test_admin_review import select
from tests.browser.test_desk import log_in, open_source, select_with_mouse, wait_for_htmx_to_settle

STATEMENT = "Officials in Islamabad said the ceasefire with the TTP was agreed in June 2022 after talks in Kabul."
INTERVIEW = (
    "KABUL – A Taliban mediator told reporters that the truce with the TTP was signed in May 2022, "
    "weeks before it was announced.\n\n"
    "He said the talks would continue after the holidays."
)
PHRASE = "the truce with the TTP was signed in May 2022"
QUESTION = "When was the TTP ceasefire agreed?"


@pytest.fixture
def question(transactional_db):
    """An approved question with one approved answer (June 2022), and an approved source not yet annotated."""
    analyst = make_user("nadia", ANALYSTS)
    make_user("rita", REVIEWERS, is_staff=True)
    rosa = make_user("rosa", REVIEWERS, is_staff=True)
    pakistan = Actor.objects.create(state="approved", name="Government of Pakistan", kind="government")
    Actor.objects.create(state="approved", name="Afghan Taliban", kind="government")
    statement = make_source(text=STATEMENT, title="Islamabad statement", created_by=analyst)
    june = approve(make_claim(statement, "the ceasefire with the TTP was agreed in June 2022", pakistan, analyst), rosa)
    question = approve(Question.objects.create(text=QUESTION, value_type="date", created_by=analyst), rosa)
    approve(Answer.objects.create(question=question, claim=june, value_text="June 2022", created_by=analyst), rosa)
    make_source(text=INTERVIEW, title="Mediator interview", created_by=analyst)
    return question


def test_an_answer_recorded_from_the_claim_panel_reaches_the_public_axis(live_server, page, browser, question):
    page.goto(f"{live_server.url}/contradictions/")
    expect(page.get_by_role("link", name=QUESTION)).to_have_count(0)  # one answer: nothing conflicts yet

    log_in(page, live_server)
    page.evaluate("window.deskPageMarker = 'still here'")
    open_source(page, "Mediator interview")
    select_with_mouse(page, PHRASE)
    form = page.locator("#claim-form")
    expect(form.locator(".anchor-preview__where")).to_contain_text("Anchored at characters")
    form.get_by_label("Claimant").fill("Afghan Taliban")
    form.get_by_label("Paraphrase").fill("A Taliban mediator says the truce was signed in May 2022.")
    form.get_by_role("button", name="Save as draft").click()

    # The panel offers to answer a question with the claim just recorded; the question is found as one types
    # and picked with the keyboard, and its suggestion says how to write the value.
    box = page.locator("#answer-box")
    expect(box.get_by_role("heading", name="Answers a question")).to_be_visible()
    wait_for_htmx_to_settle(page)
    box.get_by_label("Question").press_sequentially("ceasefire")
    suggestion = page.locator("#question-suggestions").get_by_role("button", name=re.compile(QUESTION))
    expect(suggestion).to_be_visible()
    page.keyboard.press("Tab")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")
    expect(box.get_by_label("Question")).to_have_value(QUESTION)
    expect(box.get_by_label("Question")).to_be_focused()
    expect(page.locator("#id_answer_value_text_helptext")).to_contain_text("A date: a day, a month, a year or a range")
    page.keyboard.press("Tab")
    expect(box.get_by_label("Value")).to_be_focused()

    # A day that does not exist is refused, naming the field; what was typed stays and nothing is saved.
    page.keyboard.type("May 32nd 2022")
    page.keyboard.press("Enter")
    expect(page.locator("#answer-box .notice--error")).to_have_text("Not saved: check the value.")
    expect(page.locator("#id_answer_value_text_error")).to_have_text("May 2022 has no day 32.")
    expect(page.locator("#answer-box").get_by_label("Value")).to_be_focused()
    expect(page.locator("#answer-box").get_by_label("Question")).to_have_value(QUESTION)
    assert not Answer.objects.filter(claim__quote=PHRASE).exists()

    page.locator("#answer-box").get_by_label("Value").fill("May 2022")
    page.locator("#answer-box").get_by_role("button", name="Save the answer as a draft").click()
    expect(page.locator("#answer-box .notice--success")).to_contain_text(
        f"Answer to “{QUESTION}” recorded as a draft: May 2022."
    )
    claim = Claim.objects.get(quote=PHRASE)
    expect(page.locator(f"#claim-{claim.pk} .claim-item__answer")).to_contain_text("May 2022 (answer draft)")

    page.locator("#source-claims").get_by_role("button", name="Send my drafts to review").click()
    expect(page.locator("#source-claims .notice--success")).to_have_text("Sent to review: 1 claim, 1 answer.")
    answer = Answer.objects.get(claim=claim)
    claim.refresh_from_db()
    assert (claim.state, answer.state, answer.date_precision) == (ReviewState.PENDING, ReviewState.PENDING, "month")
    assert page.evaluate("window.deskPageMarker") == "still here"  # no page reload on the way
    assert page.csp_errors == []

    # A reviewer approves the claim and its answer in the admin's queue.
    reviewing = browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer = reviewing.new_page()
    log_in_to_the_admin(reviewer, live_server, "rita")
    select(reviewer, claim)
    select(reviewer, answer)
    reviewer.get_by_label("With the selected items:").select_option("approve")
    reviewer.get_by_role("button", name="Go").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("Approved")
    reviewing.close()
    answer.refresh_from_db()
    assert answer.state == ReviewState.APPROVED

    # Readers see the new mark on the axis, the conflict named, and the question among the contradictions.
    reading = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = reading.new_page()
    reader.goto(live_server.url + question.get_absolute_url())
    axis = reader.locator("svg.answer-axis__chart")
    expect(axis.locator("a.answer-axis__mark")).to_have_count(2)
    expect(axis.locator(f'a[href="#answer-{answer.pk}"] .answer-axis__label--wide')).to_have_text(
        "Afghan Taliban · May 2022"
    )
    expect(reader.locator(".verdict")).to_contain_text("May 2022 conflicts with June 2022")
    reader.goto(f"{live_server.url}/contradictions/")
    card = reader.locator(".contradiction-card--question", has=reader.get_by_role("link", name=QUESTION))
    expect(card).to_contain_text("May 2022")
    expect(card).to_contain_text("June 2022")
    reading.close()
