"""Normalization of source text.

Quotes are anchored by character offsets into a source's text, so the text is
normalized once, on the way in, and never again: Unicode NFC, ``\\n`` line
breaks, no control characters, no trailing spaces on lines.

Also here: what counts as visible text, the bidi controls stripped from names
and titles, and which declared charsets are text encodings.
"""

import codecs
import hashlib
import re
import unicodedata

# C0/C1 control characters other than tab and newline; NUL included.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")
# Bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). An override
# makes "\u202egnp.exe" show as "exe.png": in a name or title it is a spoof, never content.
# The marks U+200E and U+200F stay: right-to-left writing needs them.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Characters that take no space or ink: zero-width space, joiners, word joiner, byte-order mark,
# soft hyphen, bidi marks and controls, Hangul fillers, blank Braille, variation selectors and
# tags, plus the Unicode whitespace that \s matches.
_INVISIBLE = re.compile(
    r"[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]+"
)
# Codecs Python treats as text encodings that are transforms, not character sets a document is written in.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})

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


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidi embedding, override and isolate controls (the marks U+200E/U+200F stay).

    For single-line fields people read as names and titles. Never for a source's
    text or a quote: those are evidence and stay exactly as written.
    """
    return BIDI_CONTROLS.sub("", text)


def has_visible_text(text: str) -> bool:
    """Whether ``text`` has at least one character that shows: not only spaces, zero-width or bidi characters."""
    return bool(_INVISIBLE.sub("", text))


def text_codec(label: str) -> str | None:
    """The codec name for a declared charset that is a text encoding, or None.

    None for unknown labels and for codecs that are not character sets:
    bytes-to-bytes codecs (base64, zlib, hex, bz2, uu, quopri), rot13, and
    transforms such as punycode, idna and unicode_escape. Decoding with those
    either raises something other than UnicodeDecodeError or reads the bytes
    as something they are not.
    """
    try:
        codec = codecs.lookup(label)
    except (LookupError, TypeError, ValueError):
        return None
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_CHARSETS:
        return None
    return codec.name


class BidiControlsStrippedMixin:
    """For forms: strip bidi controls from the single-line fields people read as names and titles.

    Done on the submitted data, before any field is cleaned, so every check
    (duplicates, actor names) sees the stripped value and a refused form shows
    it. List the field names in ``bidi_stripped_fields``; fields the form lacks
    are skipped.
    """

    bidi_stripped_fields = (
        "name", "aliases", "title", "outlet", "authors", "statement", "paraphrase",
        "claimant", "reported_by", "proposition",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            return
        names = [self.add_prefix(name) for name in self.bidi_stripped_fields if name in self.fields]
        if not any(name in self.data for name in names):
            return
        data = self.data.copy()
        for name in names:
            if name not in data:
                continue
            if hasattr(data, "setlist"):
                data.setlist(name, [strip_bidi_controls(value) for value in data.getlist(name)])
            elif isinstance(data[name], str):
                data[name] = strip_bidi_controls(data[name])
        self.data = data
