"""The API's interactive documentation works in a browser without loosening the Content Security Policy."""

from playwright.sync_api import expect

from sources.models import Source


def test_the_docs_page_shows_the_api_with_no_csp_violation(live_server, page, seeded):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(live_server.url + "/api/v1/docs")

    expect(page.get_by_role("heading", name="Claim Tracker API")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/contradictions").first).to_be_visible()
    # Trying an endpoint out works from the page too.
    operation = page.locator(
        ".opblock-get", has=page.locator(".opblock-summary-path", has_text="/api/v1/sources/{source_id}")
    )
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='source_id']").fill(str(Source.objects.public().first().pk))
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    assert page.csp_errors == []
    assert all(url.startswith(live_server.url) for url in requested), [
        u for u in requested if not u.startswith(live_server.url)
    ]
