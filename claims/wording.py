"""Word-level differences between two wordings of a field, for reviewers comparing a revision with the record.

A reviewer must see exactly what changed: a sentence appended to a description,
one date altered in a paraphrase. Striking the whole old value and inserting the
whole new one hides that, so the two texts are compared word by word (difflib
over words, runs of punctuation and runs of whitespace, so spacing and line
breaks are kept) and only what differs is marked.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words, runs of punctuation, runs of whitespace: joined again they give back the text exactly.
_TOKENS = re.compile(r"\w+|[^\w\s]+|\s+")


@dataclass(frozen=True)
class WordDiff:
    """One wording against another: each side's text as HTML, with what differs marked."""

    old_html: SafeString
    new_html: SafeString
    changed: bool


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _blocks(old: list[str], new: list[str]) -> list[tuple[bool, str, str]]:
    """(same?, old text, new text) for each run, with lone spaces between two changes folded into them."""
    blocks: list[tuple[bool, str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        blocks.append((op == "equal", "".join(old[i1:i2]), "".join(new[j1:j2])))
    # difflib happily keeps the single space between two replaced words as "equal", which
    # breaks one changed phrase into word-by-word marks; a phrase reads better marked whole.
    merged: list[tuple[bool, str, str]] = []
    for n, (same, old_text, new_text) in enumerate(blocks):
        between_changes = 0 < n < len(blocks) - 1 and not blocks[n - 1][0] and not blocks[n + 1][0]
        if same and between_changes and old_text.isspace():
            same = False
        if merged and not same and not merged[-1][0]:
            _, old_before, new_before = merged.pop()
            old_text, new_text = old_before + old_text, new_before + new_text
        merged.append((same, old_text, new_text))
    return merged


def diff_words(old: str, new: str) -> WordDiff:
    """Compare ``old`` with ``new`` word by word.

    ``old_html`` is the old text with the words that went marked ``<del>``;
    ``new_html`` the new text with the words that came marked ``<ins>``. Both
    are escaped: the texts are user input.
    """
    old_parts, new_parts = [], []
    for same, old_text, new_text in _blocks(tokens(old), tokens(new)):
        if same:
            old_parts.append(escape(old_text))
            new_parts.append(escape(new_text))
            continue
        if old_text:
            old_parts.append(f"<del>{escape(old_text)}</del>")
        if new_text:
            new_parts.append(f"<ins>{escape(new_text)}</ins>")
    return WordDiff(
        old_html=mark_safe("".join(old_parts)),  # noqa: S308 - every piece escaped above
        new_html=mark_safe("".join(new_parts)),  # noqa: S308
        changed=old != new,
    )
