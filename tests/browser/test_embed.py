"""Another site frames the contradiction card with the HTML our oEmbed gives it; no other page of ours can be framed.

The other site is a page served from 127.0.0.1 on a port of its own (tests.pageserver),
so the card is framed across origins as on a real blog.
"""

from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from claims.models import Proposition
from tests.pageserver import PageServer

SLUG = "afghan-taliban-shelter-and-support-the-ttp"


@pytest.fixture
def other_site():
    server = PageServer().start()
    yield server
    server.stop()


def blog_post(body: str) -> str:
    return f'<!doctype html><html lang="en"><head><title>A blog</title></head><body><h1>A blog post</h1>{body}</body></html>'


def test_another_site_frames_the_card_from_its_oembed_html(live_server, page, seeded, other_site):
    proposition = Proposition.objects.get(slug=SLUG)
    page_url = live_server.url + proposition.get_absolute_url()
    oembed = httpx.get(f"{live_server.url}/oembed?url={quote(page_url, safe='')}&format=json").json()
    other_site.serve("/post", blog_post(oembed["html"]))

    page.goto(other_site.url("/post"))

    card = page.frame_locator("iframe")
    expect(card.get_by_role("heading", level=1)).to_have_text(proposition.statement)
    expect(card.get_by_role("heading", name="Supports")).to_be_visible()
    expect(card.get_by_role("heading", name="Disputes")).to_be_visible()
    expect(card.locator("blockquote").first).to_be_visible()
    frame = page.frames[1]
    # The card's own stylesheet applies inside the sandboxed frame.
    assert (
        frame.evaluate("getComputedStyle(document.querySelector('.card__side-heading')).borderBottomStyle") == "solid"
    )
    assert frame.evaluate("document.scripts.length") == 0
    assert page.csp_errors == []
    # Its link opens our page in a new tab, outside the sandbox.
    with page.expect_popup() as popup:
        card.get_by_role("link", name="Every claim, in context").click()
    popup.value.wait_for_load_state()
    assert popup.value.url == page_url
    expect(popup.value.get_by_role("heading", level=1)).to_have_text(proposition.statement)


def test_another_site_cannot_frame_the_contradiction_page(live_server, page, seeded, other_site):
    page_url = live_server.url + Proposition.objects.get(slug=SLUG).get_absolute_url()
    other_site.serve("/post", blog_post(f'<iframe src="{page_url}" width="800" height="600"></iframe>'))

    page.goto(other_site.url("/post"))

    page.wait_for_timeout(500)
    framed = page.frames[1]
    assert "Claim Tracker" not in framed.content()
    assert any("frame-ancestors 'none'" in error for error in page.csp_errors), page.csp_errors
