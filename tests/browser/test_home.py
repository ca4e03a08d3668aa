import re

from playwright.sync_api import expect


def test_home_lists_the_seed_contradictions(live_server, page, seeded):
    page.goto(live_server.url + "/")

    cards = page.locator(".contradiction-card:not(.contradiction-card--question)")
    expect(cards).to_have_count(6)
    expect(page.get_by_role("link", name="The Afghan Taliban shelter and support the TTP.")).to_be_visible()
    facts = page.locator(".contradiction-card--question")  # the seeds' two disputed dates
    expect(facts).to_have_count(2)
    expect(facts.get_by_role("link", name="When was the TTP–Pakistan ceasefire agreed?")).to_be_visible()
    assert page.csp_errors == []


def test_contradiction_page_shows_both_sides(live_server, page, seeded):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="The Afghan Taliban shelter and support the TTP.").click()

    expect(page).to_have_url(re.compile(r"/contradictions/afghan-taliban-shelter-and-support-the-ttp/$"))
    supports = page.locator("section.side--supports")
    disputes = page.locator("section.side--disputes")
    expect(supports.get_by_role("link", name="Government of Pakistan")).to_be_visible()
    expect(disputes.get_by_role("link", name="Zabihullah Mujahid")).to_be_visible()
    # Side by side on a wide screen: the disputes column starts level with the supports column.
    assert abs(supports.bounding_box()["y"] - disputes.bounding_box()["y"]) < 2
    assert supports.bounding_box()["x"] < disputes.bounding_box()["x"]
