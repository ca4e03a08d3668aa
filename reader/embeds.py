"""A contradiction embedded in other sites: the card's policy, what it shows, and oEmbed.

The card at /embed/contradictions/<slug>/ is the only page other sites may
frame. Everywhere else the site says ``frame-ancestors 'none'`` and
``X-Frame-Options: DENY`` (config/settings.py), so that no page of ours can
be framed to trick a reader into clicking something; the card has nothing to
click but links that open our page in a new tab, no script, no form and no
cookie, and its policy (``EMBED_POLICY``) forbids scripts and forms outright.

oEmbed (https://oembed.com/): ``/oembed?url=<a contradiction page>&format=json``
answers with a ``rich`` response whose HTML is an iframe of the card. Anything
but a contradiction page of this site is a 404, a format other than JSON a 501
(as the specification says), a malformed size a 400.
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.csp import CSP
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from config.middleware import parse_id
from reader.citations import SITE_NAME

# The site's policy, with framing allowed from any http(s) page, and nothing run or sent from the card.
EMBED_POLICY = {
    **settings.SECURE_CSP,
    "script-src": [CSP.NONE],
    "connect-src": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": ["*"],
}

# Quotes shown per side: the first ones asserted, each from a different claimant.
QUOTES_PER_SIDE = 2
# The card's size when the consumer sets no maximum: it fits two short quotes a side at this width.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 600, 520
MAX_URL_LENGTH = 2000


def embeddable(view):
    """Let any site frame ``view``'s responses (its own policy, no X-Frame-Options); for the card only."""
    return csp_override(EMBED_POLICY)(xframe_options_exempt(view))


@dataclass
class EmbedSide:
    side: str
    label: str
    count: int
    stances: list  # the first QUOTES_PER_SIDE, from different claimants

    @property
    def more(self) -> int:
        return self.count - len(self.stances)


def embed_sides(stances) -> list[EmbedSide]:
    """Supports and disputes, each with its first quotes from different claimants; ``stances`` in date order."""
    sides = [EmbedSide("supports", "Supports", 0, []), EmbedSide("disputes", "Disputes", 0, [])]
    by_side = {side.side: side for side in sides}
    for stance in stances:
        side = by_side.get(stance.side)
        if side is None:
            continue
        side.count += 1
        claimants = {shown.claim.claimant_id for shown in side.stances}
        if len(side.stances) < QUOTES_PER_SIDE and stance.claim.claimant_id not in claimants:
            side.stances.append(stance)
    return [side for side in sides if side.count]


class OEmbedError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def requested_size(value: str | None, name: str, default: int) -> int:
    """The card's width or height within the consumer's ``maxwidth`` or ``maxheight``."""
    if value is None or value == "":
        return default
    number = parse_id(value)
    if number is None or number == 0:
        raise OEmbedError(400, f"{name} must be a positive whole number of pixels.")
    return min(number, default)


def contradiction_slug(url: str | None, host: str) -> str:
    """The slug of the contradiction page ``url`` names on this site (``host``), or OEmbedError."""
    if not url:
        raise OEmbedError(400, "Give the address of a contradiction page as url.")
    if len(url) > MAX_URL_LENGTH:
        raise OEmbedError(404, "That is not the address of a contradiction page here.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise OEmbedError(404, "That is not the address of a contradiction page here.") from None
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 address, written in brackets in a Host header
        netloc = f"[{netloc}]"
    if port is not None and port != {"http": 80, "https": 443}.get(parts.scheme):
        netloc = f"{netloc}:{port}"
    if parts.scheme not in ("http", "https") or netloc.lower() != host.lower():
        raise OEmbedError(404, f"Only addresses of this site ({host}) can be embedded from here.")
    try:
        match = resolve(unquote(parts.path))
    except Resolver404:
        match = None
    if match is None or match.view_name != "reader:contradiction":
        raise OEmbedError(404, "That is not the address of a contradiction page here.")
    return match.kwargs["slug"]


def oembed_html(embed_url: str, title: str, width: int, height: int) -> str:
    """The iframe the consumer puts in its page: sandboxed, links open in a new tab outside the sandbox."""
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="strict-origin-when-cross-origin" '
        'style="border: 0; max-width: 100%;"></iframe>',
        embed_url,
        width,
        height,
        title,
    )


def oembed_document(*, title: str, embed_url: str, site_url: str, width: int, height: int) -> dict:
    return {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": SITE_NAME,
        "provider_url": site_url,
        "html": oembed_html(embed_url, f"{title} — {SITE_NAME}", width, height),
        "width": width,
        "height": height,
    }
