"""Cutting a source's text into paragraphs, and at the boundaries of the claims anchored in it.

Every page that shows source text works on offsets into the stored text
(``Source.text``, see sources.text.normalize_text), never on copies that have
been split and joined again: a quote's anchor is a pair of offsets, and the
pieces a page renders must add up to the text character for character. So
these functions return offsets, and the slices they describe concatenate back
to exactly the text they were cut from.

A paragraph is the text between blank lines. Stored texts have no run of more
than one blank line, so a paragraph break is always ``"\\n\\n"``.
"""

from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

PARAGRAPH_BREAK = "\n\n"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``, in order.

    The breaks between paragraphs belong to no span; an empty text is one empty
    paragraph, ``[(0, 0)]``.
    """
    spans, start = [], 0
    while (end := text.find(PARAGRAPH_BREAK, start)) >= 0:
        spans.append((start, end))
        start = end + len(PARAGRAPH_BREAK)
    spans.append((start, len(text)))
    return spans


def paragraphs_around(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` of the paragraphs holding ``text[start:end]``.

    From the start of the paragraph ``start`` is in to the end of the one
    ``end`` is in: a passage that runs over a break brings every paragraph it
    touches.
    """
    opening = text.rfind(PARAGRAPH_BREAK, 0, start)
    opening = 0 if opening < 0 else opening + len(PARAGRAPH_BREAK)
    closing = text.find(PARAGRAPH_BREAK, end)
    return opening, len(text) if closing < 0 else closing


class InParagraph(NamedTuple):
    """A passage inside its paragraph: the text before it, the passage, the text after it."""

    before: str
    passage: str
    after: str


def passage_in_paragraph(text: str, start: int, end: int) -> InParagraph:
    """``text[start:end]`` with the rest of its paragraph(s) either side (see paragraphs_around)."""
    opening, closing = paragraphs_around(text, start, end)
    return InParagraph(text[opening:start], text[start:end], text[end:closing])


@dataclass(frozen=True)
class Run:
    """``text[start:end]``, covered as a whole by each span in ``covering`` and by no other."""

    start: int
    end: int
    covering: tuple = ()


def cut_at_boundaries(start: int, end: int, spans) -> list[Run]:
    """Cut ``[start, end)`` at every start and end of ``spans`` that falls inside it.

    ``spans`` are objects with ``start`` and ``end`` offsets (claims, or
    anything anchored the same way). Each run lists the spans that cover it,
    in the order given, so overlapping spans need no nesting: a run is covered
    by a fixed set of them. The runs follow each other without gap or overlap
    from ``start`` to ``end``; an empty range has no runs.
    """
    spans = list(spans)
    cuts = {start, end}
    cuts.update(offset for span in spans for offset in (span.start, span.end) if start < offset < end)
    return [
        Run(a, b, tuple(span for span in spans if span.start < b and span.end > a)) for a, b in pairwise(sorted(cuts))
    ]
