import pytest

from sources.anchoring import CONTEXT_LENGTH, EmptyQuote, QuoteAmbiguous, QuoteNotFound, anchor_quote

TEXT = (
    "Pakistan claims that the Taliban is providing shelter for TTP members.\n\n"
    "However, the Taliban insists that they do not provide support to TTP’s operations.\n\n"
    "Its chief spokesman, Zabihullah Mujahid, once said that they are not responsible."
)


def span(text, anchor):
    return text[anchor.start : anchor.end]


def test_exact_quote_is_anchored_at_its_offsets():
    anchor = anchor_quote(TEXT, "the Taliban is providing shelter")

    assert anchor.start == TEXT.index("the Taliban is providing shelter")
    assert span(TEXT, anchor) == "the Taliban is providing shelter"
    assert not anchor.tolerant


def test_anchor_records_up_to_32_characters_of_context():
    anchor = anchor_quote(TEXT, "they do not provide support")

    assert anchor.prefix == TEXT[anchor.start - CONTEXT_LENGTH : anchor.start]
    assert anchor.suffix == TEXT[anchor.end : anchor.end + CONTEXT_LENGTH]


def test_quote_at_the_very_start_of_the_text():
    anchor = anchor_quote(TEXT, "Pakistan claims")

    assert (anchor.start, anchor.prefix) == (0, "")


def test_quote_at_the_very_end_of_the_text():
    anchor = anchor_quote(TEXT, "they are not responsible.")

    assert anchor.end == len(TEXT)
    assert anchor.suffix == ""


def test_straight_apostrophe_matches_curly_one_and_keeps_the_source_text():
    anchor = anchor_quote(TEXT, "support to TTP's operations")

    assert span(TEXT, anchor) == "support to TTP’s operations"
    assert anchor.exact == "support to TTP’s operations"
    assert anchor.tolerant


def test_whitespace_differences_are_tolerated():
    anchor = anchor_quote(TEXT, "providing   shelter\nfor TTP")

    assert span(TEXT, anchor) == "providing shelter for TTP"


def test_line_break_across_paragraphs_matches_a_space():
    anchor = anchor_quote(TEXT, "TTP members. However,")

    assert span(TEXT, anchor) == "TTP members.\n\nHowever,"


def test_curly_double_quotes_dashes_and_non_breaking_spaces_are_tolerated():
    text = "He said “the ceasefire — as agreed — holds”\u00a0today."

    anchor = anchor_quote(text, '"the ceasefire - as agreed - holds" today')

    assert span(text, anchor) == "“the ceasefire — as agreed — holds”\u00a0today"


def test_quote_not_in_the_text_is_refused_with_a_reason():
    with pytest.raises(QuoteNotFound, match="not in the source text"):
        anchor_quote(TEXT, "the Taliban is arming the TTP")


def test_changed_word_is_not_tolerated():
    with pytest.raises(QuoteNotFound):
        anchor_quote(TEXT, "the Taliban was providing shelter")


def test_empty_quote_is_refused():
    with pytest.raises(EmptyQuote):
        anchor_quote(TEXT, "  \n ")


def test_quote_found_twice_is_refused_as_ambiguous():
    with pytest.raises(QuoteAmbiguous, match="appears 2 times") as error:
        anchor_quote(TEXT, "the Taliban")

    assert error.value.starts == [TEXT.index("the Taliban"), TEXT.rindex("the Taliban")]


def test_ambiguity_survives_a_prefix_that_matches_neither():
    with pytest.raises(QuoteAmbiguous):
        anchor_quote(TEXT, "the Taliban", prefix="nowhere in the text ")


def test_prefix_chooses_between_occurrences():
    anchor = anchor_quote(TEXT, "the Taliban", prefix="However, ")

    assert anchor.start == TEXT.index("However, the Taliban") + len("However, ")


def test_suffix_chooses_between_occurrences():
    anchor = anchor_quote(TEXT, "the Taliban", suffix=" insists")

    assert TEXT[anchor.end :].startswith(" insists")


def test_position_hint_chooses_the_nearest_occurrence():
    second = TEXT.index("the Taliban insists")

    anchor = anchor_quote(TEXT, "the Taliban", position=second + 3)

    assert anchor.start == second


def test_exact_position_hint_is_taken_as_is():
    first = TEXT.index("the Taliban")

    assert anchor_quote(TEXT, "the Taliban", position=first).start == first


def test_persian_text_anchors_right_to_left_quote():
    text = "سرپرست وزارت امور خارجه، روابط افغانستان و پاکستان را برای مردم منطقه مفید خواند"

    anchor = anchor_quote(text, "روابط افغانستان و پاکستان")

    assert span(text, anchor) == "روابط افغانستان و پاکستان"
    assert anchor.prefix.endswith("خارجه، ")


def test_persian_quote_typed_with_arabic_letters_matches():
    text = "وزیر خارجه پاکستان گفت که کابل مسئول نیست"

    anchor = anchor_quote(text, "كابل مسئول نيست")  # Arabic kaf and yeh

    assert span(text, anchor) == "کابل مسئول نیست"


def test_zero_width_non_joiner_differences_are_tolerated():
    text = "آنها می\u200cگویند که حمایتی نمی\u200cکنند"

    anchor = anchor_quote(text, "میگویند که حمایتی")

    assert span(text, anchor) == "می\u200cگویند که حمایتی"


def test_urdu_text_anchors():
    text = "پاکستان کا کہنا ہے کہ طالبان ٹی ٹی پی کو پناہ دے رہے ہیں۔"

    anchor = anchor_quote(text, "طالبان ٹی ٹی پی کو پناہ")

    assert span(text, anchor) == "طالبان ٹی ٹی پی کو پناہ"
