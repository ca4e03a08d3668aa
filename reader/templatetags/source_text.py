"""A source's text with its approved claims highlighted, overlaps included.

The text is cut at every paragraph break and at every claim's start and end,
so each piece is covered by a fixed set of claims: none (plain text), one
(a <mark>) or several (a <mark> marked as an overlap, deeper the more claims
cover it). Each claim gets an ``id="claim-<pk>"`` anchor where it starts and a
numbered link where it ends, to the contradiction it takes a side in (or to
its note beside the text when it takes none). Everything from the text is
escaped; only the tags written here are markup.

The text content of the result is the source text, character for character:
the W3C selectors in the export and the JSON address this page, and standard
annotation clients anchor them in the DOM's text. So paragraph and line
breaks stay ``\n`` characters (the stylesheet keeps them visible), and a
claim's link has no text of its own: its name is an attribute and its number
is drawn by CSS from another.
"""

from dataclasses import dataclass
from itertools import pairwise

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MAX_DEPTH = 3


@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    claims: tuple  # the claims covering the whole piece


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; paragraphs are separated by blank lines."""
    spans, start = [], 0
    while True:
        end = text.find("\n\n", start)
        if end < 0:
            spans.append((start, len(text)))
            return spans
        spans.append((start, end))
        start = end + 2


def pieces(start: int, end: int, claims) -> list[Piece]:
    """Cut [start, end) at every claim boundary inside it."""
    cuts = {start, end}
    for claim in claims:
        cuts.update(offset for offset in (claim.start, claim.end) if start < offset < end)
    ordered = sorted(cuts)
    return [Piece(a, b, tuple(c for c in claims if c.start < b and c.end > a)) for a, b in pairwise(ordered)]


def claim_link(claim) -> str:
    stances = getattr(claim, "public_stances", [])
    if stances:
        return f"{stances[0].proposition.get_absolute_url()}#claim-{claim.pk}"
    return f"#note-claim-{claim.pk}"


def _reference(claim, number: int) -> SafeString:
    stances = getattr(claim, "public_stances", [])
    about = f", on “{stances[0].proposition.statement}”" if stances else ""
    return format_html(
        '<a class="claim-ref" href="{}" data-number="{}" aria-label="Claim {} by {}{}"></a>',
        claim_link(claim),
        number,
        number,
        claim.claimant.name,
        about,
    )


def _render_piece(text: str, piece: Piece, numbers: dict, anchored: set, referenced: set) -> str:
    content = escape(text[piece.start : piece.end])
    if not piece.claims:
        return content
    starting = [c for c in piece.claims if c.pk not in anchored]
    anchored.update(c.pk for c in starting)
    # The first claim starting here names the mark itself, so :target shows it;
    # any other claim starting at the same offset gets an empty anchor.
    anchors = "".join(format_html('<span class="claim-anchor" id="claim-{}"></span>', c.pk) for c in starting[1:])
    id_attr = format_html(' id="claim-{}"', starting[0].pk) if starting else ""
    depth = min(len(piece.claims), MAX_DEPTH)
    mark = f'<mark class="hl hl--{depth}"{id_attr}>{content}</mark>'
    ending = [c for c in piece.claims if c.end <= piece.end and c.pk not in referenced]
    referenced.update(c.pk for c in ending)
    return anchors + mark + "".join(_reference(c, numbers[c.pk]) for c in ending)


def highlighted_paragraphs(text: str, claims) -> SafeString:
    """``text`` as <p> paragraphs with ``claims`` (in text order, numbered from 1) highlighted.

    The paragraphs are joined by the blank line that separates them in ``text``,
    so the result's text content is ``text`` exactly.
    """
    numbers = {claim.pk: number for number, claim in enumerate(claims, start=1)}
    anchored, referenced, paragraphs = set(), set(), []
    for start, end in paragraph_spans(text):
        inside = [c for c in claims if c.start < end and c.end > start]
        body = "".join(_render_piece(text, p, numbers, anchored, referenced) for p in pieces(start, end, inside))
        paragraphs.append(f"<p>{body}</p>")
    return mark_safe("\n\n".join(paragraphs))  # noqa: S308 - every piece of text is escaped above


@register.simple_tag
def highlighted_source(source, claims) -> SafeString:
    return highlighted_paragraphs(source.text, claims)
