"""From an article's address to a dated notice on the public page when the live page changes.

An analyst imports a page by its address (served by a local fixture server),
corrects the title, records a claim by selecting text; a reviewer approves it;
the page is then edited at its origin, the re-check runs, and readers see the
notice with the archived copy one click away. Nothing reaches the internet.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Actor, Claim
from claims.roles import ANALYSTS, REVIEWERS
from sources.models import Source
from tests.base import approve, make_user
from tests.browser.test_desk import log_in, record_selected_claim, wait_for_htmx_to_settle
from tests.pageserver import PageServer

QUOTE = "No artillery units were deployed within twenty kilometres of the crossing"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ministry denies shelling near the crossing</title>
<meta property="og:site_name" content="The Daily Ledger"></head>
<body><nav><a href="/">Home</a> · <a href="/world">World</a></nav>
<article><h1>Ministry denies shelling near the crossing</h1>
<p>The ministry said on Tuesday: “{quote}.” It called reports of night-time shelling fabricated.</p>
<p>Residents of the border villages told reporters that they heard explosions through the night, and that
several houses near the river were damaged by what they described as artillery fire.</p>
<p>The ministry did not answer questions about the damaged houses, and said an inquiry was not needed.</p>
</article><footer>© The Daily Ledger</footer></body></html>"""
EDITED = "Some artillery units were moved near the crossing for an exercise"


@pytest.fixture
def fixture_site(settings):
    settings.SOURCE_FETCH_ALLOW_PRIVATE = True
    server = PageServer().start()
    server.serve("/ministry-denies-shelling", PAGE.format(quote=QUOTE))
    yield server
    server.stop()


@pytest.fixture
def cast(transactional_db):
    analyst = make_user("nadia", ANALYSTS)
    reviewer = make_user("rahim", REVIEWERS)
    ministry = Actor.objects.create(name="Ministry of Defence", kind="government", state="approved")
    return analyst, reviewer, ministry


def test_import_by_address_then_a_silent_edit_shows_on_the_public_page(live_server, page, fixture_site, cast):
    _analyst, reviewer, ministry = cast
    address = fixture_site.url("/ministry-denies-shelling")
    log_in(page, live_server)

    # Import by address: what the page says is shown, the analyst corrects the title, then saves.
    page.goto(f"{live_server.url}/desk/sources/new/")
    wait_for_htmx_to_settle(page)
    page.get_by_label("Address of the page").fill(address)
    page.get_by_role("button", name="Fetch the page").click()
    expect(page.locator(".fetched-summary")).to_contain_text("Fetched")
    expect(page.get_by_label("Title")).to_have_value("Ministry denies shelling near the crossing")
    expect(page.get_by_label("Outlet")).to_have_value("The Daily Ledger")
    expect(page.get_by_label("Text", exact=True)).to_have_value(re.compile(QUOTE))
    page.get_by_label("Title").fill("Ministry denies shelling near the river crossing")
    page.get_by_role("button", name="Save source").click()
    expect(page).to_have_url(re.compile(r"/desk/sources/\d+/$"))
    wait_for_htmx_to_settle(page)
    source = Source.objects.get()
    assert source.title == "Ministry denies shelling near the river crossing"
    assert source.captures.get().final_url == address

    # Record a claim by selecting its words.
    record_selected_claim(page, QUOTE, claimant=ministry.name, paraphrase="The ministry denies any artillery nearby.")
    claim = Claim.objects.get()
    for record in (source, claim):
        record.refresh_from_db()
        approve(record, reviewer)

    # The page is edited at its origin; the re-check finds the quote no longer there.
    fixture_site.serve("/ministry-denies-shelling", PAGE.format(quote=EDITED))
    call_command("recheck_sources", "--source", str(source.pk), verbosity=0)

    page.goto(f"{live_server.url}{source.get_absolute_url()}")
    notice = page.locator(".quote-notice").first
    expect(notice).to_contain_text("The live page no longer contains this quote (checked")
    archive_link = notice.get_by_role("link", name=re.compile(r"the archived copy of \d+ \w+ \d{4}"))
    expect(archive_link).to_be_visible()
    archive_link.click()
    archive = page.locator("#archive")
    expect(archive).to_contain_text("Archived copy, retrieved")
    download = archive.get_by_role("link", name="the archived copy", exact=True).first
    response = page.request.get(f"{live_server.url}{download.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert page.csp_errors == []
