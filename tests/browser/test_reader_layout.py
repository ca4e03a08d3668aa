"""What only a browser shows: the sides next to each other on a laptop, one above the other on a phone,
the way from the home page to a quote in its source, and the keyboard."""

import re

import pytest
from playwright.sync_api import expect

SHELTER = "/contradictions/afghan-taliban-shelter-and-support-the-ttp/"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_sides_are_side_by_side_at_1280_px(live_server, page, seeded):
    page.goto(live_server.url + SHELTER)

    supports = page.locator("section.side--supports")
    disputes = page.locator("section.side--disputes")
    expect(supports.get_by_role("heading", name=re.compile("Supports"))).to_be_visible()
    supports_box, disputes_box = supports.bounding_box(), disputes.bounding_box()
    assert abs(supports_box["y"] - disputes_box["y"]) < 2
    assert supports_box["x"] + supports_box["width"] <= disputes_box["x"]
    assert page.csp_errors == []


def test_sides_are_stacked_with_their_headings_at_390_px(live_server, phone, seeded):
    phone.goto(live_server.url + SHELTER)

    supports = phone.locator("section.side--supports")
    disputes = phone.locator("section.side--disputes")
    supports_box, disputes_box = supports.bounding_box(), disputes.bounding_box()
    assert supports_box["y"] + supports_box["height"] <= disputes_box["y"]
    assert abs(supports_box["x"] - disputes_box["x"]) < 2
    expect(disputes.get_by_role("heading", name=re.compile("Disputes"))).to_be_visible()
    # Nothing is wider than the phone: no sideways scrolling of the page.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_reader_reaches_the_shelter_contradiction_in_two_clicks_on_a_phone(live_server, phone, seeded):
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="All 6 contradictions →").click()
    phone.get_by_role("link", name="The Afghan Taliban shelter and support the TTP.").click()

    expect(phone).to_have_url(re.compile(re.escape(SHELTER) + "$"))
    supports = phone.locator("section.side--supports blockquote")
    disputes = phone.locator("section.side--disputes blockquote")
    expect(supports.filter(has_text="the Taliban is providing shelter for TTP members")).to_be_visible()
    expect(disputes.filter(has_text="they do not provide support to TTP’s operations")).to_be_visible()


def test_a_reader_finds_it_with_one_search(live_server, page, seeded):
    page.goto(live_server.url + "/")
    page.get_by_label("Search quotes, contradictions, people and sources").fill("Taliban shelter TTP")
    page.get_by_label("Search quotes, contradictions, people and sources").press("Enter")

    first = page.locator(".search-result").first
    expect(first.get_by_role("link")).to_have_text("The Afghan Taliban shelter and support the TTP.")
    expect(first.locator("mark").first).to_have_text("Taliban")


def test_each_quote_opens_at_its_passage_in_the_source(live_server, page, seeded):
    page.goto(live_server.url + SHELTER)
    quote = page.locator("blockquote", has_text="the Taliban is providing shelter")
    claim = page.locator("section.side--supports article.claim", has=quote)
    claim_id = claim.get_attribute("id")

    claim.get_by_role("link", name="Taliban Mediates, Again, Between TTP and Islamabad Amid Souring Relations").click()

    expect(page).to_have_url(re.compile(rf"/sources/\d+/#{claim_id}$"))
    passage = page.locator(f"#{claim_id}")
    expect(passage).to_have_text(
        "the Taliban is providing shelter for TTP members in Afghanistan and offering the militant group and its affiliates military training and advanced weapons to destabilize the region."
    )
    expect(passage).to_be_in_viewport()


def test_the_paragraph_of_a_quote_unfolds_without_javascript_errors(live_server, page, seeded):
    page.goto(live_server.url + SHELTER)
    quote = page.locator("blockquote", has_text="they are not responsible for Pakistan’s internal security issues")
    claim = page.locator("article.claim", has=quote)
    paragraph = claim.locator(".claim__paragraph")
    expect(paragraph).to_be_hidden()

    claim.get_by_text("The whole paragraph").click()

    expect(paragraph).to_contain_text("Its chief spokesman, Zabihullah Mujahid, once said that")
    assert page.csp_errors == []


def test_the_permanent_link_is_the_page_address(live_server, page, seeded):
    page.goto(live_server.url + SHELTER + "?utm=shared")

    href = page.get_by_role("link", name="Permanent link").get_attribute("href")

    assert href == live_server.url + SHELTER


def test_keyboard_users_skip_to_the_content_and_unfold_a_paragraph(live_server, page, seeded):
    page.goto(live_server.url + SHELTER)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    summary = page.locator("summary").first
    for _ in range(30):
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("details").first).to_have_attribute("open", "")


def test_the_timeline_marks_sides_by_shape_and_links_to_claims(live_server, page, seeded):
    page.goto(live_server.url + "/contradictions/taliban-mediation-can-bring-ttp-and-pakistan-to-peace/")

    marker = page.locator("svg.timeline__chart a.timeline__marker--supports").first
    expect(marker.locator("circle")).to_have_count(1)
    expect(page.get_by_text("✓ Supports").first).to_be_visible()
    marker.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#claim-\d+$"))


def test_choosing_a_filter_updates_the_list_and_its_address(live_server, page, seeded):
    page.goto(live_server.url + "/contradictions/")
    expect(page.locator(".contradiction-card:not(.contradiction-card--question)")).to_have_count(6)
    expect(page.locator(".contradiction-card--question")).to_have_count(2)  # the seeds' two disputed dates
    expect(page.get_by_role("heading", name="6 contradictions and 2 disputed facts")).to_be_visible()

    page.get_by_label("Actor", exact=True).fill("Zabihullah Mujahid")
    page.get_by_label("Actor", exact=True).press("Enter")

    expect(page.locator(".contradiction-card")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/contradictions/\?actor=Zabihullah(%20|\+)Mujahid"))
    expect(page.get_by_role("heading", name="1 contradiction")).to_be_visible()
    assert page.csp_errors == []


@pytest.fixture
def dated_shelter(seeded):
    """The shelter contradiction with a date on every claim: years, months and days, two on the same day."""
    import datetime

    from claims.models import Claim, Proposition
    from sources.dates import DatePrecision

    dates = [
        (datetime.date(2021, 1, 1), DatePrecision.YEAR),
        (datetime.date(2022, 11, 1), DatePrecision.MONTH),
        (datetime.date(2022, 12, 21), DatePrecision.DAY),
        (datetime.date(2022, 12, 21), DatePrecision.DAY),
        (datetime.date(2022, 12, 23), DatePrecision.DAY),
        (datetime.date(2023, 2, 1), DatePrecision.MONTH),
    ]
    stances = Proposition.objects.get(slug=SHELTER.split("/")[2]).stances.order_by("pk")
    for stance, (date, precision) in zip(stances, dates, strict=True):
        Claim.objects.filter(pk=stance.claim_id).update(asserted_on=date, asserted_precision=precision)
    return len(dates)


def test_the_timeline_runs_down_the_page_at_390_px_without_sideways_scrolling(live_server, phone, dated_shelter):
    phone.goto(live_server.url + SHELTER)

    vertical = phone.locator("svg.timeline__vertical")
    expect(vertical).to_be_visible()
    expect(phone.locator("svg.timeline__chart")).to_be_hidden()
    expect(vertical.locator("a.timeline__marker")).to_have_count(dated_shelter)
    expect(vertical.locator("text", has_text="Zabihullah Mujahid")).to_be_visible()
    expect(vertical.locator("text", has_text="February 2023")).to_be_visible()
    box = vertical.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    frame = phone.locator(".timeline__frame")
    assert frame.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Every row is a link to its claim, reachable with a tap.
    vertical.locator("a.timeline__marker", has_text="Zabihullah Mujahid").click()
    expect(phone).to_have_url(re.compile(r"#claim-\d+$"))
    expect(phone.locator("article.claim:target")).to_contain_text("Zabihullah Mujahid")


def test_the_timeline_runs_across_at_1280_px_and_lists_its_claims_with_dates(live_server, page, dated_shelter):
    page.goto(live_server.url + SHELTER)

    expect(page.locator("svg.timeline__chart")).to_be_visible()
    expect(page.locator("svg.timeline__vertical")).to_be_hidden()
    page.get_by_text("The timeline as a list").click()
    items = page.locator(".timeline__dated li")
    expect(items).to_have_count(dated_shelter)
    expect(items.first.locator("time")).to_have_attribute("datetime", "2021")
    expect(items.last).to_contain_text("February 2023")
    assert page.csp_errors == []
