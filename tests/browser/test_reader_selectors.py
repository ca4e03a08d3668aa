"""Every public claim's W3C selectors resolve on the page they name, with a standard annotation library.

The export gives each claim a TextQuoteSelector and a TextPositionSelector into its source's text,
whose address is the public source page. Apache Annotator (the W3C reference library, vendored in
tests/browser/vendor/) anchors both in that page's text element, as any annotation client would.
The page's Content Security Policy allows scripts from its own origin only, so the library is served
from an address on the live server that the browser intercepts.
"""

import json
from collections import defaultdict
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ANNOTATOR = Path(__file__).parent / "vendor" / "apache-annotator.js"
SEED_CLAIMS = 41

RESOLVE = """async (claims) => {
  const scope = document.createRange();
  scope.selectNodeContents(document.querySelector(".source-text"));
  const matchers = {
    TextQuoteSelector: ApacheAnnotator.createTextQuoteSelectorMatcher,
    TextPositionSelector: ApacheAnnotator.createTextPositionSelectorMatcher,
  };
  const resolved = [];
  for (const claim of claims) {
    const found = {id: claim.id};
    for (const selector of claim.selectors) {
      found[selector.type] = [];
      for await (const range of matchers[selector.type](selector)(scope)) {
        found[selector.type].push(range.toString());
      }
    }
    resolved.push(found);
  }
  return resolved;
}"""


def public_claims_by_page(base_url: str) -> dict[str, list[dict]]:
    out = StringIO()
    call_command("export_public", "--base-url", base_url, stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    by_page = defaultdict(list)
    for claim in (record for record in records if record["type"] == "claim"):
        by_page[claim["source"]["url"]].append(claim)
    return by_page


def test_every_public_claim_resolves_on_its_source_page(live_server, page, seeded):
    script_url = f"{live_server.url}/test-vendor/apache-annotator.js"
    page.route(script_url, lambda route: route.fulfill(path=ANNOTATOR, content_type="text/javascript"))
    by_page = public_claims_by_page(live_server.url)
    assert sum(len(claims) for claims in by_page.values()) >= SEED_CLAIMS

    checked = 0
    for url, claims in by_page.items():
        page.goto(url)
        page.add_script_tag(url=script_url)
        resolved = {found["id"]: found for found in page.evaluate(RESOLVE, claims)}

        for claim in claims:
            found = resolved[claim["id"]]
            assert found["TextQuoteSelector"] == [claim["quote"]], (url, claim["id"], found)
            assert found["TextPositionSelector"] == [claim["quote"]], (url, claim["id"], found)
            checked += 1
    assert checked >= SEED_CLAIMS
    assert page.csp_errors == []
