"""Re-checking a web source: fetch its address again and say, per claim, whether the quote is still there.

``recheck_source`` fetches ``source.url``, keeps what came back as a capture
(purpose re-check; a failed fetch is kept too, with its reason), and compares
the capture's text with every claim of the source, whatever its review state.
The source's own text, which the claims are anchored into, never changes.

The page as a whole is UNCHANGED when its body, or the text extracted from it,
is the same as at the previous capture that reached it (or, without one, the
same as the source's text), and CHANGED otherwise. A page that answers 404 or
410 is GONE; any other failure (no answer, a timeout, an error status, a page
that is now a PDF or too large) is UNREACHABLE.

Each claim gets one result (``QuoteCheck``):

- PRESENT: the quote is found at the same place. Paragraphs (blocks of text
  between blank lines) of the anchored text and of the new text are aligned
  with difflib, so paragraphs added, removed or edited elsewhere on the page
  shift the text without moving the quote. "The same place" is the paragraph
  of the new text aligned with the quote's own paragraph; within it the
  quote may start at another offset, when words before it in the same
  paragraph changed.
- MOVED: the quote is found elsewhere in the new text. Finding it is
  ``sources.anchoring.anchor_quote``'s job, with the claim's prefix and suffix
  and the expected position choosing between several occurrences, and its
  tolerance for spacing, quotation marks, dashes and letter variants.
- ALTERED: the quote is not there, but a passage like it is. The quote's
  paragraph is compared (difflib, word by word) with the paragraphs of the
  new text; in the most similar ones the words of the quote are followed
  through the alignment to the passage they became. That passage is kept as
  ``found_text`` when it shares at least ``ALTERED_MIN_SIMILARITY`` of the
  quote's words, in order (difflib's ratio over words and punctuation).
- GONE: nothing like it.

Pages are text typed by strangers, so every comparison is bounded: the new
text is compared on its first ``COMPARE_MAX_CHARS`` characters and
``COMPARE_MAX_PARAGRAPHS`` paragraphs, paragraphs longer than
``BLOCK_MAX_CHARS`` are compared in overlapping windows, and the near-match
search looks at ``NEAR_MATCH_MAX_BLOCKS`` blocks around where the quote was
and scores ``NEAR_MATCH_CANDIDATES`` of them in full. No article is that
long: a page past the limits is a dump or an attack, and a quote beyond them
counts as gone.
"""

import bisect
import difflib
import re
from dataclasses import dataclass, field
from http import HTTPStatus

from django.db import transaction
from django.utils.translation import gettext, override

from sources.anchoring import AnchorError, QuoteAmbiguous, anchor_quote
from sources.capture import capture_page, failed_capture, store
from sources.fetching import ErrorStatus, FetchRefused
from sources.models import Capture, QuoteCheck, Source

PARAGRAPH_BREAK = "\n\n"  # sources.text.normalize_text leaves exactly this between paragraphs
COMPARE_MAX_CHARS = 500_000
COMPARE_MAX_PARAGRAPHS = 5_000
BLOCK_MAX_CHARS = 4_000
NEAR_MATCH_MAX_BLOCKS = 1_000
NEAR_MATCH_CANDIDATES = 5
# How much of a quote must survive, in order, for the passage to count as the quote altered.
ALTERED_MIN_SIMILARITY = 0.6
# Status codes that say the page is not there any more (rather than not reachable now).
GONE_STATUSES = frozenset({404, 410})

_WORDS = re.compile(r"\w+|[^\w\s]")


@dataclass
class Recheck:
    """A re-check's capture (saved) and the result for each claim of the source."""

    capture: Capture
    checks: list[QuoteCheck] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for check in self.checks if check.outcome == outcome)

    def summary(self) -> str:
        """One line for the person who asked: what the page and its quotes did."""
        capture = self.capture
        if not capture.succeeded:
            return f"{capture.get_outcome_display().capitalize()}: {capture.problem}"
        unchanged = capture.outcome == Capture.Outcome.UNCHANGED
        if not self.checks:
            if unchanged:
                return gettext("The page is unchanged; the source has no claims to compare.")
            return gettext("The page has changed; the source has no claims to compare.")
        counts = ", ".join(
            f"{self.count(outcome)} {label}" for outcome, label in QuoteCheck.Outcome.choices if self.count(outcome)
        )
        if unchanged:
            return gettext("The page is unchanged. Quotes: %(counts)s.") % {"counts": counts}
        return gettext("The page has changed. Quotes: %(counts)s.") % {"counts": counts}


def recheck_source(source: Source, *, user=None) -> Recheck:
    """Fetch ``source.url`` again, store the capture, and check every claim's quote in it.

    A page that cannot be fetched is stored as a failed capture (outcome GONE
    for 404 and 410, UNREACHABLE otherwise), with no quote checks. Never raises
    ``FetchRefused``.

    What went wrong is recorded in English, whatever the language of the
    analyst who asked: a capture is evidence, read later by anyone (and in the
    admin, which is English).
    """
    try:
        with override("en"):
            capture = capture_page(source.url, user=user, source=source, purpose=Capture.Purpose.RECHECK)
    except FetchRefused as error:
        with override("en"):
            capture = failed_capture(source.url, error, user=user, source=source, purpose=Capture.Purpose.RECHECK)
        gone = isinstance(error, ErrorStatus) and error.status in GONE_STATUSES
        capture.outcome = Capture.Outcome.GONE if gone else Capture.Outcome.UNREACHABLE
        if isinstance(error, ErrorStatus):  # its message speaks of importing
            with override("en"):
                capture.problem = _status_problem(error.status)
        store(capture)
        return Recheck(capture)
    capture.outcome = page_outcome(source, capture)
    comparison = Comparison(source.text, capture.text)
    claims = source.claims.order_by("start", "pk").only("source_id", "quote", "start", "end", "prefix", "suffix")
    checks = [comparison.check(claim) for claim in claims]
    with transaction.atomic():
        store(capture)
        for check in checks:
            check.capture = capture
        QuoteCheck.objects.bulk_create(checks)
    return Recheck(capture, checks)


def _status_problem(status: int) -> str:
    try:
        answer = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        answer = str(status)
    if status in GONE_STATUSES:
        return gettext("The server answered %(status)s: there is no page at this address any more.") % {
            "status": answer
        }
    return gettext("The server answered %(status)s instead of the page.") % {"status": answer}


def page_outcome(source: Source, capture: Capture) -> str:
    """UNCHANGED if the body or its text equals the previous capture that reached the page (else the source's text)."""
    previous = (
        Capture.objects.filter(source=source, problem="")
        .exclude(pk=capture.pk)
        .order_by("-retrieved_at", "-pk")
        .defer("warc", "text")
        .first()
    )
    if previous is None:
        same = capture.text == source.text
    else:
        same = capture.body_sha256 == previous.body_sha256 or capture.text == previous.text
    return Capture.Outcome.UNCHANGED if same else Capture.Outcome.CHANGED


@dataclass(frozen=True)
class Paragraphs:
    """A text cut into paragraphs: ``spans[i]`` is (start, end) of paragraph i in ``text``."""

    text: str
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str, *, max_chars: int = COMPARE_MAX_CHARS, max_paragraphs: int = COMPARE_MAX_PARAGRAPHS):
        text = text[:max_chars]
        spans, start = [], 0
        while len(spans) < max_paragraphs:
            end = text.find(PARAGRAPH_BREAK, start)
            if end == -1:
                spans.append((start, len(text)))
                break
            spans.append((start, end))
            start = end + len(PARAGRAPH_BREAK)
        return cls(text[: spans[-1][1]] if spans else "", spans)

    def __len__(self) -> int:
        return len(self.spans)

    def paragraph(self, index: int) -> str:
        start, end = self.spans[index]
        return self.text[start:end]

    def index_at(self, offset: int) -> int | None:
        """The paragraph holding ``offset`` (a break belongs to the paragraph before it), or None past the end."""
        if not self.spans or offset > self.spans[-1][1]:
            return None
        return max(0, bisect.bisect_right(self.spans, (offset, float("inf"))) - 1)


@dataclass(frozen=True)
class Block:
    """A stretch of text compared as one piece in the near-match search: a paragraph or a window of a long one."""

    paragraph: int
    start: int
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # each word's (start, end) in the whole text


def words_of(text: str, offset: int = 0) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """Words and punctuation marks (case-folded), with where each is, for word-level comparison."""
    found = list(_WORDS.finditer(text))
    return (
        tuple(match.group().casefold() for match in found),
        tuple((offset + match.start(), offset + match.end()) for match in found),
    )


class Comparison:
    """The anchored text against a page's new text, for checking one claim after another."""

    def __init__(self, anchored: str, new: str):
        self.old = Paragraphs.of(anchored)
        self.new = Paragraphs.of(new)
        self.aligned = self._align()
        self._blocks: list[Block] | None = None
        self._block_paragraphs: list[int] = []

    def _align(self) -> dict[int, int]:
        """Old paragraph index → the new paragraph at its place (unchanged paragraphs pair up, edited ones in order)."""
        old = [self.old.paragraph(i) for i in range(len(self.old))]
        new = [self.new.paragraph(j) for j in range(len(self.new))]
        aligned = {}
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
            if op in ("equal", "replace"):
                for n in range(min(i2 - i1, j2 - j1)):
                    aligned[i1 + n] = j1 + n
        return aligned

    def check(self, claim) -> QuoteCheck:
        """Where ``claim``'s quote stands in the new text (an unsaved QuoteCheck)."""
        old_paragraph = self.old.index_at(claim.start)
        place = self.aligned.get(old_paragraph) if old_paragraph is not None else None
        expected = None
        if place is not None:
            expected = self.new.spans[place][0] + claim.start - self.old.spans[old_paragraph][0]
        found = self._find(claim, expected if expected is not None else claim.start)
        if found is not None:
            start, end = found
            outcome = QuoteCheck.Outcome.PRESENT if self.new.index_at(start) == place else QuoteCheck.Outcome.MOVED
            return QuoteCheck(
                claim=claim, outcome=outcome, found_start=start, found_end=end, found_text=self.new.text[start:end]
            )
        near = self._near_match(claim, old_paragraph, place)
        if near is not None:
            start, end = near
            return QuoteCheck(
                claim=claim,
                outcome=QuoteCheck.Outcome.ALTERED,
                found_start=start,
                found_end=end,
                found_text=self.new.text[start:end],
            )
        return QuoteCheck(claim=claim, outcome=QuoteCheck.Outcome.GONE)

    def _find(self, claim, position: int) -> tuple[int, int] | None:
        try:
            anchor = anchor_quote(
                self.new.text, claim.quote, prefix=claim.prefix, suffix=claim.suffix, position=max(position, 0)
            )
        except QuoteAmbiguous as error:  # equally near occurrences: the first of the nearest
            start = min(error.starts, key=lambda at: (abs(at - position), at))
            return start, start + len(claim.quote)
        except AnchorError:
            return None
        return anchor.start, anchor.end

    # -- near matches ------------------------------------------------------

    @property
    def blocks(self) -> list[Block]:
        """The new text's paragraphs as blocks of words, long ones as overlapping windows (made once)."""
        if self._blocks is None:
            self._blocks = []
            for index, (start, end) in enumerate(self.new.spans):
                step = BLOCK_MAX_CHARS // 2
                for window in range(start, max(end - step, start + 1), step):
                    window_end = min(window + BLOCK_MAX_CHARS, end)
                    words, spans = words_of(self.new.text[window:window_end], window)
                    self._blocks.append(Block(index, window, words, spans))
            self._block_paragraphs = [block.paragraph for block in self._blocks]
        return self._blocks

    def _old_passage(self, claim, old_paragraph: int | None) -> tuple[int, int]:
        """The stretch of the anchored text compared with the new blocks: the quote's paragraph, or a window of it."""
        if old_paragraph is None:
            start, end = claim.start, claim.end
        else:
            start, end = self.old.spans[old_paragraph]
            end = max(end, claim.end)
        margin = max(0, (BLOCK_MAX_CHARS - (claim.end - claim.start)) // 2)
        return max(start, claim.start - margin), min(end, claim.end + margin)

    def _candidates(self, place: int | None, old_paragraph: int | None) -> list[Block]:
        """At most NEAR_MATCH_MAX_BLOCKS blocks, nearest first to where the quote's paragraph is (or would be)."""
        blocks = self.blocks
        if not blocks:
            return []
        if place is None:
            share = (old_paragraph or 0) / max(len(self.old), 1)
            place = int(share * len(self.new))
        middle = bisect.bisect_left(self._block_paragraphs, place)
        half = NEAR_MATCH_MAX_BLOCKS // 2
        low = max(0, min(middle - half, len(blocks) - NEAR_MATCH_MAX_BLOCKS))
        return sorted(blocks[low : low + NEAR_MATCH_MAX_BLOCKS], key=lambda block: abs(block.paragraph - place))

    def _near_match(self, claim, old_paragraph: int | None, place: int | None) -> tuple[int, int] | None:
        """The passage of the new text the quote's words became, if it is similar enough."""
        if claim.end <= len(self.old.text):
            passage_start, passage_end = self._old_passage(claim, old_paragraph)
            old_words, old_spans = words_of(self.old.text[passage_start:passage_end], passage_start)
        else:  # the quote lies beyond the compared part of the anchored text: the quote alone
            old_words, old_spans = words_of(claim.quote, claim.start)
        quote = [n for n, (start, end) in enumerate(old_spans) if start >= claim.start and end <= claim.end]
        if not quote:
            return None
        first, last = quote[0], quote[-1] + 1
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(old_words)
        scored = []
        for block in self._candidates(place, old_paragraph):
            matcher.set_seq1(block.words)
            if matcher.real_quick_ratio() > 0 and (quick := matcher.quick_ratio()) > 0:
                scored.append((quick, block))
        scored.sort(key=lambda item: -item[0])
        results = []
        for rank, (_, block) in enumerate(scored[:NEAR_MATCH_CANDIDATES]):
            span = _follow(old_words, block.words, first, last)
            if span is None:
                continue
            became = block.words[span[0] : span[1]]
            score = difflib.SequenceMatcher(None, old_words[first:last], became, autojunk=False).ratio()
            results.append((score, -rank, (block.spans[span[0]][0], block.spans[span[1] - 1][1])))
        best = max(results, default=None)
        return best[2] if best is not None and best[0] >= ALTERED_MIN_SIMILARITY else None


def _follow(old: tuple[str, ...], new: tuple[str, ...], first: int, last: int) -> tuple[int, int] | None:
    """The words of ``new`` that ``old[first:last]`` became, by difflib's alignment of the two; None if none."""
    start = end = None
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if start is None and i1 <= first < i2:
            start = j1 + (first - i1) if op == "equal" else j1
        if end is None and i1 < last <= i2:
            end = j1 + (last - i1) if op == "equal" else j2
    if start is None or end is None or end <= start:
        return None
    return start, end
