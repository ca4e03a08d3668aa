"""No hostile payload runs in Chromium: on every page that shows them, nothing executes and no dialog opens.

The payload corpus (tests/security/payloads.txt) is stored, in batches, in
approved records in every field that reaches a page, gathered so that a few
pages carry every batch (hostile_records.GatheredRecords: the hub contradiction,
actor, long source, contradiction list and search per batch for a reader; the
desk home, board, annotate pages and proposition list for a logged-in analyst).
Each is loaded once with a trap: alert, confirm, prompt and print are replaced before any
page script runs (Playwright's init scripts run whatever the page's CSP says)
and record their calls; dialogs, page errors and CSP violations are caught too.
Then the DOM as Chromium built it is scanned for event handlers, style and
srcdoc attributes, frames and objects, and links, forms and buttons whose URL
Chromium resolves to anything but http(s) or mailto.
"""

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from claims.roles import ANALYSTS, REVIEWERS
from tests.base import make_user
from tests.security.hostile_records import GatheredRecords, create_gathered_hostile_records, gathered_page_urls

TRAP = """
window.__executed = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__executed.push(`${name}(${args.join(", ")})`); };
}
"""

TRAP_CHECK = "<!doctype html><title>trap check</title><img src=x onerror=\"alert('trap')\">"

SCAN_DOM = """() => {
  const found = [...window.__executed];
  const safe = ["http:", "https:", "mailto:"];
  for (const element of document.querySelectorAll("*")) {
    for (const { name } of element.attributes) {
      const lower = name.toLowerCase();
      if (lower.startsWith("on") || lower === "style" || lower === "srcdoc" || lower.startsWith("hx-on")) {
        found.push(`<${element.localName} ${lower}>`);
      }
    }
  }
  for (const element of document.querySelectorAll("iframe, frame, object, embed, applet, base, portal, style")) {
    found.push(`<${element.localName}>`);
  }
  for (const element of document.querySelectorAll("[href], [src], [action], [formaction], [*|href]")) {
    for (const name of ["href", "src", "action", "formaction", "xlink:href"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const protocol = new URL(value, document.baseURI).protocol;
      if (!safe.includes(protocol)) found.push(`<${element.localName} ${name}="${value}"> → ${protocol}`);
    }
  }
  for (const script of document.scripts) {
    const data = ["application/json", "application/ld+json"].includes(script.type);
    if (script.src ? new URL(script.src).origin !== location.origin : !data && !script.nonce) {
      found.push(`<script> ${script.src || script.textContent.slice(0, 60)}`);
    }
  }
  return found;
}"""


def _session_cookie(user, live_server_url: str) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": live_server_url}


def _trap(page, dialogs: list[str], scripts: dict[str, tuple[bytes, dict]]) -> None:
    page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
    page.add_init_script(TRAP)
    # Styles, images and fonts cannot run script; skipping them keeps the page loads quick,
    # and each static script is fetched once and then served from memory.
    page.route(re.compile(r"\.(css|svg|png|ico|woff2?)(\?.*)?$"), lambda route: route.abort())

    def serve_script(route):
        if route.request.url not in scripts:
            response = route.fetch()
            scripts[route.request.url] = (response.body(), response.headers)
        body, headers = scripts[route.request.url]
        route.fulfill(body=body, headers=headers)

    page.route(re.compile(r"/static/.*\.js(\?.*)?$"), serve_script)


def _missing_batches(gathered: GatheredRecords, analyst) -> list[str]:
    """What the pages the browser loads fail to show, as Django renders them (the check that the check sees something).

    The pages that gather every batch are checked for every batch; the pages of one
    batch each (a search, an annotate page), built the same way, for the first and last.
    """
    desk = Client()
    desk.force_login(analyst)
    clients = {"reader": Client(), "analyst": desk}
    urls = gathered_page_urls(gathered)
    last = len(gathered.sources) - 1
    wanted = {gathered.search_url(number) for number in (0, last)} | {
        reverse("desk:source", args=[gathered.sources[number].pk]) for number in (0, last)
    }
    lists = {
        reverse("reader:contradictions"),
        reverse("desk:propositions"),
        reverse("desk:board", args=[gathered.hub.slug]),
    }
    html = {
        url: clients[user].get(url).content.decode()
        for user, url in urls
        if url in wanted
        or url.split("?")[0] in lists
        or url in {r.get_absolute_url() for r in gathered.hub_gathering()}
    }
    hub, actor, long_source = (html[record.get_absolute_url()] for record in gathered.hub_gathering())
    board = html[reverse("desk:board", args=[gathered.hub.slug])]
    listed = {
        name: "".join(text for url, text in html.items() if url.startswith(reverse(name)))
        for name in ("reader:contradictions", "desk:propositions")
    }
    missing = []
    for number, (source, claimant, proposition) in enumerate(
        zip(gathered.sources, gathered.claimants, gathered.propositions, strict=True)
    ):
        expected = {
            "claimant on the hub contradiction": (escape(claimant.name), hub),
            "source title on the hub contradiction": (escape(source.title), hub),
            "source outlet on the hub contradiction": (escape(source.outlet), hub),
            "claimant on the hub actor page": (escape(claimant.name), actor),
            "claimant on the board": (escape(claimant.name), board),
            "paraphrase on the long source": (escape(gathered.claims[2 * number + 1].paraphrase), long_source),
            "statement on the contradiction list": (escape(proposition.statement), listed["reader:contradictions"]),
            "statement on the desk's proposition list": (escape(proposition.statement), listed["desk:propositions"]),
        }
        if number in (0, len(gathered.sources) - 1):
            search = html[gathered.search_url(number)]
            annotate = html[reverse("desk:source", args=[source.pk])]
            expected |= {
                "query on its search": (escape(gathered.joined(number)), search),
                "authors on its search": (escape(source.authors), search),
                "authors on its annotate page": (escape(source.authors), annotate),
                "outlet on its annotate page": (escape(source.outlet), annotate),
            }
        missing += [f"batch {number}: {what}" for what, (text, page) in expected.items() if text not in page]
    return missing


def test_no_hostile_payload_runs_in_chromium(live_server, page, browser):
    analyst = make_user("alice", ANALYSTS, is_staff=True)
    gathered = create_gathered_hostile_records(analyst=analyst, reviewer=make_user("rita", REVIEWERS, is_staff=True))
    desk_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    desk_context.add_cookies([_session_cookie(analyst, live_server.url)])
    pages = {"reader": page, "analyst": desk_context.new_page()}
    dialogs, scripts, csp_errors = [], {}, page.csp_errors
    for tab in pages.values():
        _trap(tab, dialogs, scripts)
    pages["analyst"].on(
        "console",
        lambda message: (
            csp_errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    pages["analyst"].on("pageerror", lambda error: csp_errors.append(str(error)))
    # The trap works: a page that does run script is caught.
    page.route(f"{live_server.url}/trap-check/", lambda route: route.fulfill(body=TRAP_CHECK, content_type="text/html"))
    page.goto(f"{live_server.url}/trap-check/")
    assert page.evaluate(SCAN_DOM) == ["alert(trap)", "<img onerror>"]
    assert _missing_batches(gathered, analyst) == []
    problems = {}

    for user, url in gathered_page_urls(gathered):
        tab = pages[user]
        response = tab.goto(live_server.url + url, wait_until="domcontentloaded")
        found = [] if response.ok else [f"answered {response.status}"]
        if tab.url != live_server.url + url:
            found.append(f"navigated away to {tab.url}")
        if found := found + tab.evaluate(SCAN_DOM):
            problems[f"{user}: {url}"] = found

    desk_context.close()
    assert problems == {}
    assert dialogs == []
    assert csp_errors == []
