import datetime

import pytest

from config.middleware import parse_id
from sources.dates import DatePrecision, format_partial_date, iso_partial_date, parse_partial_date
from sources.text import (
    has_visible_text,
    normalize_text,
    strip_bidi_controls,
    text_checksum,
    text_codec,
    text_direction,
)


def test_normalize_text_unifies_line_breaks_and_unicode_form():
    raw = "Cafe\u0301 one\r\ntwo\rthree   \n\n\n\nfour\x00"

    assert normalize_text(raw) == "Café one\ntwo\nthree\n\nfour"


def test_checksum_is_stable_for_the_same_text():
    assert text_checksum("abc") == text_checksum("abc") != text_checksum("abd")


@pytest.mark.parametrize(
    ("language", "direction"),
    [("fa", "rtl"), ("ur", "rtl"), ("ps", "rtl"), ("ar", "rtl"), ("en", "ltr"), ("tr", "ltr"), ("fa-AF", "rtl")],
)
def test_text_direction_follows_the_language(language, direction):
    assert text_direction(language) == direction


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", (None, DatePrecision.UNKNOWN)),
        ("2022", (datetime.date(2022, 1, 1), DatePrecision.YEAR)),
        ("2022-12", (datetime.date(2022, 12, 1), DatePrecision.MONTH)),
        ("2022-12-23", (datetime.date(2022, 12, 23), DatePrecision.DAY)),
    ],
)
def test_partial_dates_parse_with_their_precision(value, expected):
    assert parse_partial_date(value) == expected


@pytest.mark.parametrize("value", ["22.12.2022", "2022-13", "2022-02-30", "December", "20222"])
def test_malformed_dates_are_refused_with_a_message(value):
    with pytest.raises(ValueError, match="date"):
        parse_partial_date(value)


def test_partial_dates_format_for_people_and_machines():
    date, precision = parse_partial_date("2022-12")

    assert format_partial_date(date, precision) == "December 2022"
    assert iso_partial_date(date, precision) == "2022-12"
    assert format_partial_date(None, DatePrecision.UNKNOWN) == "date unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("007", 7),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),  # beyond the id column
        ("9" * 30, None),
        ("²", None),  # isdigit() says yes
        ("١٢", None),  # int() says 12
        ("１２", None),
        (" 12", None),
        ("1_2", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_reads_only_plain_ascii_numbers_the_database_holds(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    "label", ["rot13", "zlib", "base64", "hex", "bz2", "uu", "uu_codec", "quopri", "punycode", "idna"]
)
def test_text_codec_refuses_codecs_that_are_not_character_sets(label):
    assert text_codec(label) is None


@pytest.mark.parametrize(("label", "name"), [("UTF8", "utf-8"), ("windows-1256", "cp1256"), ("latin-1", "iso8859-1")])
def test_text_codec_names_text_encodings(label, name):
    assert text_codec(label) == name


@pytest.mark.parametrize(
    "text", ["\u200b", "\u200c\u200d\u2060\ufeff", " \n\t\u3000\xa0", "\u200e\u200f\u202e\u2067\u2069"]
)
def test_invisible_characters_are_not_visible_text(text):
    assert not has_visible_text(text)


@pytest.mark.parametrize("text", ["a", "\u200bطالبان\u200c", "\u202e1", "ـ"])
def test_one_visible_character_is_visible_text(text):
    assert has_visible_text(text)


def test_strip_bidi_controls_keeps_the_marks_right_to_left_text_needs():
    assert (
        strip_bidi_controls("\u202eAfghan\u202c \u2067Taliban\u2069 \u200fطالبان\u200e")
        == "Afghan Taliban \u200fطالبان\u200e"
    )
