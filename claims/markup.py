"""Markdown for descriptions and notes: rendered once, on save, then sanitized.

Source text is never Markdown; only the fields that say so are.

Rendering must take time linear in the text whatever it holds, because
analysts' text is rendered inside the write transaction. Python-Markdown is
not: runs of brackets or unclosed links made it quadratic (14 KB of brackets
took 22 s) and deeply indented lists overflowed its recursion. So the text is
parsed by cmark, the CommonMark reference parser in C (through cmarkgfm, the
binding PyPI renders READMEs with), whose parser is built and tested to stay
linear on pathological input. Lines that open more than ``MAX_NESTING``
containers lose the excess markers first, because html5ever, under nh3, takes
time quadratic in the nesting depth of what cmark makes of them. Fields are at most
``MARKDOWN_MAX_LENGTH`` characters; longer text is refused, not cut.
"""

import functools
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters in one description or note. A page of prose is about 3,000.
MARKDOWN_MAX_LENGTH = 10_000
# Container markers (">", "- ", "1. ") beyond this many at the start of one line are dropped.
MAX_NESTING = 16

_ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "sup", "sub", "del",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto"}
# Raw HTML passes cmark untouched, as it passed Python-Markdown, so that the few
# tags nh3 keeps (sup, sub, del) still work; nh3 removes everything else.
_CMARK_OPTIONS = Options.CMARK_OPT_UNSAFE

# The container markers (">", "- ", "1. ") that open a line. Each can nest one level for a
# character or two, and html5ever, under nh3, takes time quadratic in the nesting depth:
# 10,000 ">" took 0.8 s to clean. Markers beyond MAX_NESTING on one line are dropped.
# Deeper nesting across lines needs indentation that grows with the depth, so 10,000
# characters cannot nest more than a few hundred levels that way.
_CONTAINER_MARKER = r"[ \t]{0,3}(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))"
_TOO_MANY_MARKERS = re.compile(rf"^((?:{_CONTAINER_MARKER}){{{MAX_NESTING}}})(?:{_CONTAINER_MARKER})+", re.MULTILINE)
# A link that nh3 left without an address (its scheme was not allowed). nh3's output
# never nests <a>, so the nearest </a> closes it.
_LINK_WITHOUT_ADDRESS = re.compile(r'<a(?=[\s>])(?![^>]*\shref="[^"])[^>]*>(.*?)</a>', re.DOTALL)


def validate_markdown_length(text: str) -> None:
    """Refuse Markdown longer than MARKDOWN_MAX_LENGTH, with a message that says so.

    A line break counts as one character, as browsers count it, though forms send "\\r\\n".
    """
    length = len(text) - text.count("\r\n")
    if length > MARKDOWN_MAX_LENGTH:
        raise ValidationError(
            _("Markdown fields hold at most %(limit)s characters; this one has %(length)s. Shorten it."),
            code="markdown_too_long",
            params={"limit": f"{MARKDOWN_MAX_LENGTH:,}", "length": f"{length:,}"},
        )


def render_markdown(text: str) -> str:
    """Markdown to HTML safe to show anywhere: no scripts, no styles, no URL schemes but web and mail.

    Raises ValidationError when ``text`` is longer than MARKDOWN_MAX_LENGTH, so no
    code path (form, admin, shell, import) can store a field that was not checked.
    Recent results are kept, so a form that rendered the text while validating it
    makes the render inside the save's transaction free.
    """
    validate_markdown_length(text)
    return _render(text)


@functools.lru_cache(maxsize=32)
def _render(text: str) -> str:
    if not text.strip():
        return ""
    # cmark reads UTF-8: lone surrogates (possible from JSON or the shell) become "?".
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _TOO_MANY_MARKERS.sub(r"\1", text)
    html = cmarkgfm.markdown_to_html(text, options=_CMARK_OPTIONS)
    html = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    # A link whose address was removed would still look like a link: keep its text only.
    return _LINK_WITHOUT_ADDRESS.sub(r"\1", html).strip()
