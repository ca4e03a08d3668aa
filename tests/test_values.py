"""Typed answer values: reading each type, its precision, and when two values conflict."""

import datetime
from decimal import Decimal

from django.test import SimpleTestCase
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.values import (
    DatePrecision,
    DateValue,
    InvalidValue,
    QuantityValue,
    dates_conflict,
    parse_date_value,
    parse_quantity_value,
    parse_yes_no_value,
    quantities_conflict,
)
from sources.dates import DatePrecision as SourceDatePrecision
from sources.dates import format_partial_date

settings.register_profile("values", max_examples=300, deadline=None)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class DateParsingTests(SimpleTestCase):
    def test_each_precision_is_the_interval_it_covers(self):
        cases = {
            "2022": ("2022-01-01", "2022-12-31", DatePrecision.YEAR),
            "2022-05": ("2022-05-01", "2022-05-31", DatePrecision.MONTH),
            "May 2022": ("2022-05-01", "2022-05-31", DatePrecision.MONTH),
            "Sept. 2022": ("2022-09-01", "2022-09-30", DatePrecision.MONTH),
            "2024-02": ("2024-02-01", "2024-02-29", DatePrecision.MONTH),
            "2022-05-12": ("2022-05-12", "2022-05-12", DatePrecision.DAY),
            "12 May 2022": ("2022-05-12", "2022-05-12", DatePrecision.DAY),
            "12th May 2022": ("2022-05-12", "2022-05-12", DatePrecision.DAY),
            "May 12, 2022": ("2022-05-12", "2022-05-12", DatePrecision.DAY),
        }
        for text, (low, high, precision) in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_date_value(text), DateValue(day(low), day(high), precision))

    def test_ranges_run_from_the_start_of_one_to_the_end_of_the_other(self):
        cases = {
            "2022-05 to 2022-06": ("2022-05-01", "2022-06-30"),
            "May to June 2022": ("2022-05-01", "2022-06-30"),
            "between May and June 2022": ("2022-05-01", "2022-06-30"),
            "November–December 2022": ("2022-11-01", "2022-12-31"),
            "2022-11/2022-12": ("2022-11-01", "2022-12-31"),
            "Dec 2021 to Jan 2022": ("2021-12-01", "2022-01-31"),
            "2021 to 2022": ("2021-01-01", "2022-12-31"),
        }
        for text, (low, high) in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_date_value(text), DateValue(day(low), day(high), DatePrecision.RANGE))

    def test_the_display_keeps_the_precision(self):
        self.assertEqual(parse_date_value("2022").display(), "2022")
        self.assertEqual(parse_date_value("2022-05").display(), "May 2022")
        self.assertEqual(parse_date_value("2022-05-09").display(), "9 May 2022")
        self.assertEqual(parse_date_value("November–December 2022").display(), "November – December 2022")
        self.assertEqual(parse_date_value("2021 to 2022").display(), "2021–2022")

    def test_the_canonical_form_reads_back_as_the_same_value(self):
        for text in ("2022", "May 2022", "9 May 2022", "May to June 2022", "3 May 2022 to 9 June 2022"):
            with self.subTest(text=text):
                value = parse_date_value(text)
                self.assertEqual(parse_date_value(value.canonical()), value)

    def test_impossible_or_unreadable_dates_are_refused_with_a_message(self):
        cases = {
            "May 32nd 2022": "May 2022 has no day 32.",
            "2022-02-29": "February 2022 has no day 29.",
            "2022-13": "There is no month 13.",
            "June to May 2022": "ends before it starts",
            "yesterday": "is not a date",
            "Mayo 2022": "is not a date",
            "": "Enter a date",
            "2022-05 to someday": "is not a date range",
            "0000": "is not a year",
        }
        for text, message in cases.items():
            with self.subTest(text=text), self.assertRaisesMessage(InvalidValue, message):
                parse_date_value(text)

    def test_a_huge_value_is_refused_quickly(self):
        with self.assertRaises(InvalidValue):
            parse_date_value("2022 " * 2_000_000)


class QuantityParsingTests(SimpleTestCase):
    def test_exact_bounded_approximate_and_ranges(self):
        cases = {
            "30": QuantityValue(Decimal(30), Decimal(30)),
            "1,200": QuantityValue(Decimal(1200), Decimal(1200)),
            "1.5 million": QuantityValue(Decimal(1_500_000), Decimal(1_500_000)),
            "at least 30": QuantityValue(Decimal(30), None),
            "more than 30 people": QuantityValue(Decimal(30), None),
            "at most 12": QuantityValue(None, Decimal(12)),
            "fewer than 12": QuantityValue(None, Decimal(12)),
            "about 50": QuantityValue(Decimal(50), Decimal(50), approximate=True),
            "~50": QuantityValue(Decimal(50), Decimal(50), approximate=True),
            "30-40": QuantityValue(Decimal(30), Decimal(40)),
            "30–40 people": QuantityValue(Decimal(30), Decimal(40)),
            "between 30 and 40": QuantityValue(Decimal(30), Decimal(40)),
            "1.5-2 million": QuantityValue(Decimal(1_500_000), Decimal(2_000_000)),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_quantity_value(text, unit="people"), expected)

    def test_the_unit_must_be_the_questions(self):
        self.assertEqual(parse_quantity_value("30 people", unit="people").low, 30)
        with self.assertRaisesMessage(InvalidValue, "This question counts people, not “tanks”"):
            parse_quantity_value("30 tanks", unit="people")
        with self.assertRaisesMessage(InvalidValue, "This question counts plain numbers"):
            parse_quantity_value("30 tanks", unit="")
        self.assertEqual(parse_quantity_value("30 Fighters", unit="fighter").low, 30)

    def test_unreadable_numbers_are_refused_with_a_message(self):
        cases = {
            "": "Enter a number",
            "many": "is not a number",
            "40-30": "ends before it starts",
            "at least 30-40": "not both",
            "9" * 40: "larger than this tracker can hold",
        }
        for text, message in cases.items():
            with self.subTest(text=text), self.assertRaisesMessage(InvalidValue, message):
                parse_quantity_value(text, unit="people")

    def test_display(self):
        self.assertEqual(parse_quantity_value("at least 30").display("people"), "at least 30 people")
        self.assertEqual(parse_quantity_value("about 1,200").display("people"), "about 1,200 people")
        self.assertEqual(parse_quantity_value("30-40").display("people"), "30–40 people")
        self.assertEqual(parse_quantity_value("2.5").display(), "2.5")


class YesNoTests(SimpleTestCase):
    def test_yes_and_no(self):
        self.assertIs(parse_yes_no_value("Yes"), True)
        self.assertIs(parse_yes_no_value(" no "), False)
        with self.assertRaisesMessage(InvalidValue, "Answer “yes” or “no”."):
            parse_yes_no_value("maybe")


class ConflictRuleTests(SimpleTestCase):
    def test_dates_conflict_when_their_intervals_do_not_overlap(self):
        self.assertTrue(dates_conflict(parse_date_value("May 2022"), parse_date_value("June 2022")))
        self.assertTrue(dates_conflict(parse_date_value("2022-05-31"), parse_date_value("2022-06-01")))
        self.assertTrue(dates_conflict(parse_date_value("November 2022"), parse_date_value("2023")))

    def test_dates_at_different_precision_agree_when_one_contains_the_other(self):
        self.assertFalse(dates_conflict(parse_date_value("May 2022"), parse_date_value("2022")))
        self.assertFalse(dates_conflict(parse_date_value("12 May 2022"), parse_date_value("May 2022")))
        self.assertFalse(dates_conflict(parse_date_value("November–December 2022"), parse_date_value("December 2022")))
        self.assertFalse(dates_conflict(parse_date_value("November 2022"), parse_date_value("November–December 2022")))

    def test_numbers_conflict_when_no_figure_fits_both(self):
        self.assertTrue(quantities_conflict(parse_quantity_value("30"), parse_quantity_value("40")))
        self.assertTrue(quantities_conflict(parse_quantity_value("at most 10"), parse_quantity_value("at least 11")))
        self.assertTrue(quantities_conflict(parse_quantity_value("30-40"), parse_quantity_value("50")))

    def test_open_bounds_and_ranges_agree_with_what_they_contain(self):
        self.assertFalse(quantities_conflict(parse_quantity_value("at least 30"), parse_quantity_value("1,000")))
        self.assertFalse(quantities_conflict(parse_quantity_value("30-40"), parse_quantity_value("35")))
        self.assertFalse(quantities_conflict(parse_quantity_value("at most 5"), parse_quantity_value("at least 5")))

    def test_the_tolerance_lets_rounded_figures_agree(self):
        thirty, thirty_two = parse_quantity_value("30"), parse_quantity_value("32")
        self.assertTrue(quantities_conflict(thirty, thirty_two, tolerance_percent=0))
        self.assertFalse(quantities_conflict(thirty, thirty_two, tolerance_percent=5))
        self.assertTrue(quantities_conflict(thirty, parse_quantity_value("40"), tolerance_percent=10))


# ---------------------------------------------------------------------------
# Properties: conflict is symmetric and no value conflicts with itself.

years = st.integers(min_value=1990, max_value=2030)
months = st.integers(min_value=1, max_value=12)
days = st.integers(min_value=1, max_value=28)


@st.composite
def date_texts(draw):
    year, month, day_ = draw(years), draw(months), draw(days)
    single = draw(st.sampled_from([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day_:02d}"]))
    if draw(st.booleans()):
        return single
    later = draw(st.integers(min_value=year, max_value=2031))
    return f"{single} to {later}"


@st.composite
def quantity_texts(draw):
    low = draw(st.integers(min_value=0, max_value=10_000))
    form = draw(st.sampled_from(["exact", "at least", "at most", "about", "range"]))
    if form == "range":
        return f"{low}-{low + draw(st.integers(min_value=0, max_value=500))}"
    return str(low) if form == "exact" else f"{form} {low}"


class ConflictProperties(SimpleTestCase):
    @settings(settings.get_profile("values"))
    @given(date_texts(), date_texts())
    def test_date_conflict_is_symmetric_and_irreflexive(self, first, second):
        a, b = parse_date_value(first), parse_date_value(second)
        self.assertEqual(dates_conflict(a, b), dates_conflict(b, a))
        self.assertFalse(dates_conflict(a, a))
        # A value agrees with any coarser value containing it.
        self.assertFalse(dates_conflict(a, parse_date_value(f"{a.low.year} to {a.high.year}")))

    @settings(settings.get_profile("values"))
    @given(quantity_texts(), quantity_texts(), st.integers(min_value=0, max_value=50))
    def test_number_conflict_is_symmetric_and_irreflexive(self, first, second, tolerance):
        a, b = parse_quantity_value(first), parse_quantity_value(second)
        self.assertEqual(
            quantities_conflict(a, b, tolerance_percent=tolerance),
            quantities_conflict(b, a, tolerance_percent=tolerance),
        )
        self.assertFalse(quantities_conflict(a, a, tolerance_percent=tolerance))
        # More tolerance never creates a conflict.
        if not quantities_conflict(a, b, tolerance_percent=tolerance):
            self.assertFalse(quantities_conflict(a, b, tolerance_percent=min(50, tolerance + 10)))


class ValuesInTheReadersLanguageTests(SimpleTestCase):
    """Readers see values in their language; the machine form stays the same whatever it is."""

    def test_dates_and_bounds_are_written_in_the_active_language(self):
        ceasefire = parse_date_value("May 2022")
        killed = parse_quantity_value("at least 30")

        with override("ur"):
            self.assertNotIn("May", ceasefire.display())
            self.assertIn("2022", ceasefire.display())
            self.assertNotIn("at least", killed.display("killed"))
        self.assertEqual(ceasefire.display(), "May 2022")
        self.assertEqual(killed.display("killed"), "at least 30 killed")

    def test_the_machine_form_is_english_in_every_language(self):
        for language in ("en", "ur", "fa", "ps"):
            with self.subTest(language=language), override(language):
                self.assertEqual(parse_quantity_value("about 1,200").canonical(), "about 1,200")
                self.assertEqual(parse_date_value("May 2022").canonical(), "2022-05")

    def test_a_partial_date_is_written_in_the_active_language(self):
        with override("fa"):
            december = format_partial_date(datetime.date(2022, 12, 1), SourceDatePrecision.MONTH)
            unknown = format_partial_date(None, SourceDatePrecision.UNKNOWN)

        self.assertNotIn("December", december)
        self.assertNotIn("unknown", unknown)
        self.assertEqual(format_partial_date(datetime.date(2022, 12, 23), SourceDatePrecision.DAY), "23 December 2022")
