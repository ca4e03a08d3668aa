"""Finding anything a browser could execute in rendered HTML.

``find_executable(html, nonce=...)`` parses a page with the standard library's
HTML parser and lists every element or attribute that could run script or
load active content: scripts that are neither our static files (or the admin's JavaScript catalog), nor carry this
response's nonce, nor are JSON data blocks; event handler (on*) attributes;
javascript:, vbscript: and data: URLs in any attribute that takes a URL
(entities decoded, control characters and whitespace removed as browsers do); style attributes and elements; frames, objects, embeds,
applets, portals and base elements; srcdoc; meta refresh; SVG animations that
can rewrite links; htmx attributes that evaluate code. An empty list means the
page is clean.

The parser is not a browser, so the browser test (tests/browser/
test_hostile_payloads.py) checks the same pages in Chromium as well.
"""

import re
from html.parser import HTMLParser

from django.urls import reverse

# Attributes whose URL a browser may navigate to, load or run, in HTML, SVG, MathML
# and htmx (old browsers included: background, lowsrc, dynsrc; applets: code, codebase, archive).
URL_ATTRIBUTES = {
    *("href", "xlink:href", "src", "action", "formaction", "data", "background", "lowsrc", "dynsrc"),
    *("codebase", "code", "archive", "icon", "to", "from", "values", "by"),
    *("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"),
}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
EXECUTABLE_SCHEMES = {"javascript", "vbscript", "livescript", "data", "mocha", "jscript"}
# Elements that run or embed active content, or change how every URL on the page resolves.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "style", "isindex"}
# Script types browsers never execute: data blocks.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
STATIC_PREFIX = "/static/"
# Scripts our own views serve: the admin's JavaScript catalog.
SCRIPT_VIEWS = ("admin:jsi18n",)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_WHATWG_STRIP = "".join(chr(code) for code in range(0x21))  # C0 controls and space


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees in ``value`` (an attribute value, entities already decoded).

    As the WHATWG URL parser does: leading and trailing C0 controls and spaces
    are stripped and tabs and line breaks anywhere are dropped. Other invisible
    characters (zero-width spaces, BOM, soft hyphen) are kept, as browsers keep
    them, which makes "java\u200bscript:" an invalid scheme, hence a harmless
    relative URL.
    """
    cleaned = value.strip(_WHATWG_STRIP)
    cleaned = "".join(char for char in cleaned if char not in "\t\n\r")
    match = _SCHEME.match(cleaned.lower())
    return match.group(1) if match else None


def _is_executable_url(tag: str, name: str, value: str) -> bool:
    scheme = url_scheme(value)
    if scheme not in EXECUTABLE_SCHEMES:
        return False
    # An image from a data: URL never runs script (not even SVG, inside <img>).
    return not (tag == "img" and name == "src" and scheme == "data" and value.strip().lower().startswith("data:image/"))


class _ExecutableFinder(HTMLParser):
    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.findings: list[str] = []

    def report(self, message: str) -> None:
        line, column = self.getpos()
        self.findings.append(f"line {line}, column {column}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check_element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check_element(tag, attrs)

    def check_element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.check_script(values)
        if tag in FORBIDDEN_ELEMENTS:
            self.report(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").strip().lower() in ("refresh", "set-cookie"):
            self.report(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "link" and "import" in values.get("rel", "").lower().split():
            self.report("<link rel=import>")
        if tag in ("animate", "set", "animatetransform", "animatemotion") and values.get(
            "attributename", ""
        ).strip().lower() in ("href", "xlink:href"):
            self.report(f"<{tag}> that rewrites a link")
        for name, value in values.items():
            self.check_attribute(tag, name, value)

    def check_script(self, values: dict[str, str]) -> None:
        script_type = values.get("type", "").strip().lower()
        if "src" in values:
            src = values["src"].strip()
            if not src.startswith(STATIC_PREFIX) and src not in {reverse(name) for name in SCRIPT_VIEWS}:
                self.report(f"<script> from {values['src']!r}, not our static files")
        elif script_type in DATA_SCRIPT_TYPES:
            return
        elif self.nonce is None or values.get("nonce") != self.nonce:
            self.report("inline <script> without this response's nonce")

    def check_attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.report(f"<{tag} {name}=…> event handler")
        elif name == "style":
            self.report(f"<{tag} style=…> attribute")
        elif name == "srcdoc":
            self.report(f"<{tag} srcdoc=…>")
        elif name.startswith(("hx-on", "data-hx-on")) or name in ("hx-vars", "data-hx-vars"):
            self.report(f"<{tag} {name}=…> htmx attribute that evaluates code")
        elif name in ("hx-vals", "data-hx-vals") and value.strip().lower().startswith(("js:", "javascript:")):
            self.report(f"<{tag} {name}=js:…> htmx attribute that evaluates code")
        elif name in URL_ATTRIBUTES and _is_executable_url(tag, name, value):
            self.report(f"<{tag} {name}={value!r}> executable URL")
        elif name in SRCSET_ATTRIBUTES:
            for candidate in value.split(","):
                if _is_executable_url(tag, "srcset", candidate.strip().split(" ")[0]):
                    self.report(f"<{tag} {name}={value!r}> executable URL")


def find_executable(html: str, *, nonce: str | None = None) -> list[str]:
    """Everything in ``html`` a browser could execute; ``nonce`` is the one this response's CSP allows."""
    finder = _ExecutableFinder(nonce)
    finder.feed(html)
    finder.close()
    return finder.findings


def response_nonce(response) -> str | None:
    """The script nonce a response's Content-Security-Policy header allows, if any."""
    match = re.search(r"'nonce-([^']+)'", response.headers.get("Content-Security-Policy", ""))
    return match.group(1) if match else None
