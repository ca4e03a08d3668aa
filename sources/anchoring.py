"""Anchoring a quote into a source text.

An anchor is what W3C Web Annotation calls a TextPositionSelector (start and
end offsets) together with a TextQuoteSelector (the exact text plus a little
context either side). ``anchor_quote`` is the single way a quote becomes an
anchor: exact match first, then a tolerant match that ignores differences
readers cannot see or that copying introduces (runs of whitespace, curly and
straight quotes, dash variants, non-breaking and zero-width spaces, Arabic and
Persian letter variants). The anchor always describes the source text itself,
never the quote as typed.
"""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

CONTEXT_LENGTH = 32

# Characters folded together by the tolerant match. Each maps to what it is
# compared as; "" means the character is ignored.
_FOLDS = {
    **dict.fromkeys("‘’‚‛′‵`´ʼ", "'"),
    **dict.fromkeys("“”„‟″‶«»", '"'),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff\u0640", ""),  # soft hyphen, zero-widths, tatweel
    "ي": "ی",  # Arabic yeh / Farsi yeh
    "ى": "ی",
    "ك": "ک",  # Arabic kaf / keheh
    "ە": "ه",
    "…": "...",
}


class AnchorError(ValueError):
    """The quote cannot be anchored; ``str(error)`` is a message for the analyst."""

    code = "anchor"


class EmptyQuote(AnchorError):
    code = "empty"


class QuoteNotFound(AnchorError):
    code = "not_found"


class QuoteAmbiguous(AnchorError):
    code = "ambiguous"

    def __init__(self, message: str, starts: list[int]):
        super().__init__(message)
        self.starts = starts


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    tolerant: bool = False  # True when the quote as typed differed from the text


def _fold_char(char: str) -> str:
    if char in _FOLDS:
        return _FOLDS[char]
    if char.isspace():
        return " "
    return char


def _fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for tolerant comparison.

    Returns the folded string and, for each folded character, the offset in
    ``text`` of the character it came from. Whitespace runs become one space.
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            if piece == " " and folded and folded[-1] == " ":
                continue
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def _find_all(haystack: str, needle: str) -> list[int]:
    starts, at = [], haystack.find(needle)
    while at != -1:
        starts.append(at)
        at = haystack.find(needle, at + 1)
    return starts


def _context_matches(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Does the text around [start, end) agree with the given prefix and suffix (tolerantly)?"""
    if prefix:
        want = _fold(prefix)[0].strip()
        have = _fold(text[max(0, start - len(prefix) - CONTEXT_LENGTH) : start])[0].strip()
        if want and not have.endswith(want):
            return False
    if suffix:
        want = _fold(suffix)[0].strip()
        have = _fold(text[end : end + len(suffix) + CONTEXT_LENGTH])[0].strip()
        if want and not have.startswith(want):
            return False
    return True


def _make_anchor(text: str, start: int, end: int, tolerant: bool) -> Anchor:
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        tolerant=tolerant,
    )


def anchor_quote(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    position: int | None = None,
) -> Anchor:
    """Find ``quote`` in ``text`` and return its Anchor.

    ``prefix``/``suffix`` (text just before/after the quote) and ``position``
    (the expected start offset) only choose between several occurrences; a
    quote found once is anchored wherever it is. Raises EmptyQuote,
    QuoteNotFound or QuoteAmbiguous, each with a message meant for the analyst.
    """
    quote = unicodedata.normalize("NFC", quote or "").strip()
    if not quote:
        raise EmptyQuote(gettext("The quote is empty: select or paste the passage the claimant asserted."))

    # Fast path: the position hint points at the exact quote.
    if position is not None and position >= 0 and text[position : position + len(quote)] == quote:
        return _make_anchor(text, position, position + len(quote), tolerant=False)

    spans = [(start, start + len(quote)) for start in _find_all(text, quote)]
    tolerant = False
    if not spans:
        folded_text, origin = _fold(text)
        folded_quote = _fold(quote)[0].strip()
        if folded_quote:
            # One character can fold to several ("…" to "..."), so two folded
            # matches may map back to the same span: count each span once.
            spans = list(
                dict.fromkeys(
                    (origin[at], origin[at + len(folded_quote) - 1] + 1) for at in _find_all(folded_text, folded_quote)
                )
            )
        tolerant = True
    if not spans:
        raise QuoteNotFound(
            gettext(
                "The quote is not in the source text. Copy it exactly as the source has it; "
                "differences in spacing, quotation marks, apostrophes and dashes are tolerated, "
                "other edits are not."
            )
        )
    if len(spans) > 1 and (prefix or suffix):
        spans = [span for span in spans if _context_matches(text, *span, prefix, suffix)] or spans
    if len(spans) > 1 and position is not None:
        distances = sorted((abs(start - position), (start, end)) for start, end in spans)
        if distances[0][0] != distances[1][0]:
            spans = [distances[0][1]]
    if len(spans) > 1:
        raise QuoteAmbiguous(
            ngettext(
                "The quote appears %(count)s time in the source. Select the occurrence you mean, "
                "or quote a longer passage so that it appears only once.",
                "The quote appears %(count)s times in the source. Select the occurrence you mean, "
                "or quote a longer passage so that it appears only once.",
                len(spans),
            )
            % {"count": len(spans)},
            starts=[start for start, _ in spans],
        )
    start, end = spans[0]
    return _make_anchor(text, start, end, tolerant=tolerant)
