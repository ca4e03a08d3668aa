"""Normalization of source text.

Quotes are anchored by character offsets into a source's text, so the text is
normalized once, on the way in, and never again: Unicode NFC, ``\\n`` line
breaks, no control characters, no trailing spaces on lines.
"""

import hashlib
import re
import unicodedata

# C0/C1 control characters other than tab and newline; NUL included.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")

RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ur", "he", "yi", "dv", "sd", "ug", "ckb", "prs"})


def normalize_text(text: str) -> str:
    """Return ``text`` in the one form sources are stored in."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def text_checksum(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex: the fingerprint quotes are anchored against."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_direction(language: str) -> str:
    """'rtl' for right-to-left languages (by primary subtag), else 'ltr'."""
    primary = (language or "").split("-")[0].lower()
    return "rtl" if primary in RTL_LANGUAGES else "ltr"
