import datetime

import pytest

from sources.dates import DatePrecision, format_partial_date, iso_partial_date, parse_partial_date
from sources.text import normalize_text, text_checksum, text_direction


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
