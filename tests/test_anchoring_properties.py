"""Property-based tests for quote anchoring: random texts in several scripts, random quotes taken from them.

The texts mix Latin, Persian, Urdu and Arabic letters with the characters that
copying mangles (curly quotes, dashes, non-breaking and zero-width spaces,
tatweel, ellipsis) and are normalized the way sources are stored.
"""

import unicodedata

from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from sources.anchoring import _FOLDS, CONTEXT_LENGTH, AnchorError, QuoteAmbiguous, anchor_quote
from sources.text import normalize_text

LATIN = "abcdeTTP.,;:!?0123456789"
PERSIAN_URDU_ARABIC = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكىەۀےٹڈڑںھ۱۲۳٤٥" + "\u064e\u064f\u0650\u0651\u0652"
COPY_MANGLED = "‘’“”«»‐‑–—−\u00a0\u2009\u200b\u200c\u200d\ufeff\u0640…'\"-"
WHITESPACE = "  \n\t"
ALPHABET = LATIN + PERSIAN_URDU_ARABIC + COPY_MANGLED + WHITESPACE

settings.register_profile("anchoring", max_examples=300, deadline=None)

source_texts = st.text(alphabet=ALPHABET, min_size=1, max_size=300).map(normalize_text).filter(bool)

# What a reader may type instead of what the source has (and back).
STRAIGHTENED = {
    **dict.fromkeys("‘’", "'"),
    **dict.fromkeys("“”«»", '"'),
    **dict.fromkeys("‐‑–—−", "-"),
    "\u00a0": " ",
    "\u2009": " ",
    "…": "...",
}
CURLED = {"'": "’", '"': "”", "-": "—", " ": "\u00a0"}


def is_ignored(char: str) -> bool:
    """Characters the tolerant match does not see at all (zero-width spaces, tatweel, soft hyphen)."""
    return _FOLDS.get(char) == ""


def is_visible(char: str) -> bool:
    return not char.isspace() and not is_ignored(char)


def occurs_once(haystack: str, needle: str) -> bool:
    """Exactly one occurrence, counting overlapping ones ("000" is twice in "0000")."""
    first = haystack.find(needle)
    return first != -1 and haystack.find(needle, first + 1) == -1


def fold(text: str) -> str:
    from sources.anchoring import _fold

    return _fold(text)[0]


@st.composite
def texts_with_a_unique_quote(draw):
    """A source text and (start, end) of a quote that occurs exactly once in it."""
    text = draw(source_texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote == quote.strip() and occurs_once(text, quote))
    assume(unicodedata.is_normalized("NFC", quote))
    return text, start, end


@st.composite
def tolerant_variants(draw):
    """A unique quote, retyped the way copying and keyboards change it."""
    text, start, end = draw(texts_with_a_unique_quote())
    quote = text[start:end]
    # The tolerant match can only recover what it can see: the quote starts and ends on
    # visible characters, and is unique even once quotes, dashes and spaces are folded.
    assume(is_visible(quote[0]) and is_visible(quote[-1]))
    assume(occurs_once(fold(text), fold(quote).strip()))
    pieces = []
    for char in quote:
        choice = draw(st.sampled_from(["keep", "straighten", "curl", "space", "zero-width"]))
        if choice == "straighten":
            pieces.append(STRAIGHTENED.get(char, char))
        elif choice == "curl":
            pieces.append(CURLED.get(char, char))
        elif choice == "space" and char.isspace():
            pieces.append(draw(st.sampled_from([" ", "  ", "\n", "\t", "\u00a0", " \u200b "])))
        elif choice == "zero-width":
            pieces.append(char + draw(st.sampled_from(["\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad"])))
        else:
            pieces.append(char)
    variant = "".join(pieces)
    # Ellipses typed as three dots must still fold like the source's ellipsis; others may not.
    assume(fold(variant).strip() == fold(quote).strip())
    # A variant that is itself in the text verbatim (say, with the zero-width joiner
    # the text has after the quote) is rightly anchored there, exactly.
    assume(variant == quote or variant.strip() not in text)
    return text, start, end, variant


@settings(settings.get_profile("anchoring"))
@given(texts_with_a_unique_quote())
@example(("Salam علیکم — “quoted” here", 6, 11))
@example(("می\u200cگوید که طالبان", 0, 7))
def test_a_unique_quote_is_anchored_exactly_where_it_is(case):
    text, start, end = case

    anchor = anchor_quote(text, text[start:end])

    assert (anchor.start, anchor.end) == (start, end)
    assert anchor.exact == text[start:end]
    assert not anchor.tolerant


@settings(settings.get_profile("anchoring"))
@given(texts_with_a_unique_quote())
def test_the_context_is_the_text_either_side(case):
    text, start, end = case

    anchor = anchor_quote(text, text[start:end])

    assert anchor.prefix == text[max(0, start - CONTEXT_LENGTH) : start]
    assert anchor.suffix == text[end : end + CONTEXT_LENGTH]


@settings(settings.get_profile("anchoring"))
@given(tolerant_variants())
@example(("They said: “we give no support”, again.", 11, 31, '"we give no support"'))
@example(("حمایت نمی\u200cکنیم — هرگز", 0, 21, "حمایت نمیکنیم - هرگز"))
def test_a_retyped_quote_anchors_to_the_same_span(case):
    text, start, end, variant = case

    anchor = anchor_quote(text, variant)

    event("tolerant match" if anchor.tolerant else "exact match")
    assert (anchor.start, anchor.end) == (start, end)
    assert anchor.exact == text[start:end]


@settings(settings.get_profile("anchoring"))
@given(source_texts, st.text(alphabet=ALPHABET + "\x00\ud7ff\U0001f600", max_size=60), st.text(max_size=40))
def test_anchoring_anything_raises_nothing_but_anchor_errors(text, quote, context):
    try:
        anchor = anchor_quote(text, quote, prefix=context, suffix=context[::-1])
    except AnchorError as error:
        assert str(error)
        return
    assert 0 <= anchor.start < anchor.end <= len(text)
    assert anchor.exact == text[anchor.start : anchor.end]


@settings(settings.get_profile("anchoring"))
@given(source_texts, st.text(alphabet=ALPHABET, min_size=1, max_size=20), st.integers(-1000, 1000))
def test_any_position_hint_keeps_the_anchor_inside_the_text(text, quote, position):
    try:
        anchor = anchor_quote(text, quote, position=position)
    except AnchorError:
        return
    assert 0 <= anchor.start < anchor.end <= len(text)
    assert anchor.exact == text[anchor.start : anchor.end]


@settings(settings.get_profile("anchoring"))
@given(
    st.text(alphabet=LATIN + PERSIAN_URDU_ARABIC, min_size=1, max_size=8).filter(lambda quote: quote.strip() == quote),
    st.lists(st.text(alphabet=" \n" + PERSIAN_URDU_ARABIC, min_size=1, max_size=40), min_size=2, max_size=5),
    st.data(),
)
def test_a_repeated_quote_is_anchored_at_the_occurrence_nearest_the_position(quote, gaps, data):
    text = normalize_text(gaps[0] + "".join(quote + gap for gap in gaps[1:]))
    occurrences = [at for at in range(len(text)) if text.startswith(quote, at)]
    assume(len(occurrences) > 1 and unicodedata.is_normalized("NFC", quote))
    position = data.draw(st.integers(0, len(text)))
    distances = sorted(abs(at - position) for at in occurrences)
    assume(distances[0] != distances[1])

    anchor = anchor_quote(text, quote, position=position)

    assert anchor.start == min(occurrences, key=lambda at: abs(at - position))


@settings(settings.get_profile("anchoring"))
@given(
    st.text(alphabet=LATIN + PERSIAN_URDU_ARABIC, min_size=1, max_size=8).filter(lambda quote: quote.strip() == quote),
    st.lists(st.text(alphabet=" \n" + PERSIAN_URDU_ARABIC, min_size=1, max_size=40), min_size=2, max_size=5),
)
def test_a_repeated_quote_without_a_hint_is_ambiguous_and_says_where(quote, gaps):
    text = normalize_text(gaps[0] + "".join(quote + gap for gap in gaps[1:]))
    occurrences = [at for at in range(len(text)) if text.startswith(quote, at)]
    assume(len(occurrences) > 1 and unicodedata.is_normalized("NFC", quote))

    try:
        anchor_quote(text, quote)
    except QuoteAmbiguous as error:
        assert set(error.starts) <= set(occurrences)
        assert len(error.starts) > 1
    else:
        raise AssertionError("a quote found several times must be ambiguous without a hint")


def test_matches_inside_one_folded_character_are_one_occurrence():
    # Regression: ".." matched twice inside the "..." an ellipsis folds to, and the
    # analyst was told the quote appeared twice when the text has one ellipsis.
    anchor = anchor_quote("Wait… what", "..")

    assert (anchor.start, anchor.end, anchor.exact) == (4, 5, "…")
