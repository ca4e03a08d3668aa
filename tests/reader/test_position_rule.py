"""The rule for changes of position (reader.positions.read_position), on statements made up in memory."""

import random
from itertools import pairwise

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from reader.positions import Statement, read_position
from sources.dates import DatePrecision, parse_partial_date

S, D, Q = "supports", "disputes", "qualifies"


def said(number: int, side: str, asserted: str = "", *, source: int | None = None, offset: int = 0) -> Statement:
    """Statement ``number`` (its stance and claim id), from its own source unless ``source`` is given."""
    on, precision = parse_partial_date(asserted)
    return Statement(number, number, side, number if source is None else source, on, precision, offset)


def pairs(reading) -> list[tuple[int, int]]:
    return [(change.earlier.stance_id, change.later.stance_id) for change in reading.changes]


class ChangeOfSideTest(SimpleTestCase):
    def test_supports_then_disputes_is_a_change(self):
        reading = read_position([said(1, S, "2020-03"), said(2, D, "2022-06-14")])

        self.assertEqual(pairs(reading), [(1, 2)])
        self.assertEqual(reading.both_sides, ())

    def test_denies_then_concedes_is_a_change(self):
        self.assertEqual(pairs(read_position([said(1, D, "2019"), said(2, S, "2021")])), [(1, 2)])

    def test_the_same_side_again_is_no_change(self):
        self.assertEqual(pairs(read_position([said(1, S, "2019"), said(2, S, "2021")])), [])

    def test_the_change_runs_from_the_last_statement_on_the_old_side_to_the_first_on_the_new(self):
        statements = [said(1, S, "2019"), said(2, S, "2020"), said(3, D, "2021"), said(4, D, "2022")]

        self.assertEqual(pairs(read_position(statements)), [(2, 3)])

    def test_each_switch_back_is_a_change_of_its_own(self):
        statements = [said(1, S, "2019"), said(2, D, "2020"), said(3, S, "2021")]

        self.assertEqual(pairs(read_position(statements)), [(1, 2), (2, 3)])

    def test_the_order_given_does_not_matter(self):
        statements = [said(3, S, "2021"), said(1, S, "2019"), said(2, D, "2020")]

        self.assertEqual(pairs(read_position(statements)), [(1, 2), (2, 3)])


class QualifiesTest(SimpleTestCase):
    def test_qualifying_is_not_a_change_by_itself(self):
        self.assertEqual(pairs(read_position([said(1, S, "2019"), said(2, Q, "2021")])), [])
        self.assertEqual(pairs(read_position([said(1, Q, "2019"), said(2, D, "2021")])), [])

    def test_a_qualifying_statement_in_between_neither_ends_nor_starts_the_change(self):
        statements = [said(1, S, "2019"), said(2, Q, "2020"), said(3, D, "2021")]

        self.assertEqual(pairs(read_position(statements)), [(1, 3)])


class DatesTest(SimpleTestCase):
    def test_a_statement_without_a_known_date_is_never_part_of_a_change(self):
        self.assertEqual(pairs(read_position([said(1, S), said(2, D, "2022-06-14")])), [])
        self.assertEqual(pairs(read_position([said(1, S, "2020-03"), said(2, D)])), [])
        self.assertEqual(pairs(read_position([said(1, S), said(2, D)])), [])

    def test_an_undated_statement_does_not_interrupt_a_change(self):
        statements = [said(1, S, "2019"), said(2, S), said(3, D, "2021")]

        self.assertEqual(pairs(read_position(statements)), [(1, 3)])

    def test_a_year_and_a_month_of_that_year_cannot_be_ordered(self):
        self.assertEqual(pairs(read_position([said(1, S, "2022"), said(2, D, "2022-03")])), [])
        self.assertEqual(pairs(read_position([said(1, S, "2022-03"), said(2, D, "2022")])), [])

    def test_a_month_and_a_day_in_it_cannot_be_ordered(self):
        self.assertEqual(pairs(read_position([said(1, S, "2022-03"), said(2, D, "2022-03-31")])), [])

    def test_two_statements_of_the_same_day_cannot_be_ordered(self):
        self.assertEqual(pairs(read_position([said(1, S, "2022-03-15"), said(2, D, "2022-03-15")])), [])

    def test_periods_that_do_not_overlap_are_ordered_whatever_their_precision(self):
        self.assertEqual(pairs(read_position([said(1, S, "2021"), said(2, D, "2022-01")])), [(1, 2)])
        self.assertEqual(pairs(read_position([said(1, S, "2022-02"), said(2, D, "2022-03-01")])), [(1, 2)])
        self.assertEqual(pairs(read_position([said(1, S, "2022-03-14"), said(2, D, "2022-03-15")])), [(1, 2)])

    def test_the_stored_precision_is_what_counts(self):
        march = said(1, S, "2022-03")
        self.assertEqual((march.asserted_precision, str(march.period[1])), (DatePrecision.MONTH, "2022-03-31"))


class BothSidesInOneSourceTest(SimpleTestCase):
    def test_both_sides_in_one_source_is_not_a_change(self):
        reading = read_position([said(1, S, "2020", source=9, offset=10), said(2, D, "2022", source=9, offset=500)])

        self.assertEqual(pairs(reading), [])
        [both] = reading.both_sides
        self.assertEqual((both.source_id, both.first.stance_id, both.second.stance_id), (9, 1, 2))

    def test_both_sides_in_one_source_are_named_in_text_order_whatever_their_dates(self):
        reading = read_position([said(1, D, "2022", source=9, offset=800), said(2, S, source=9, offset=20)])

        [both] = reading.both_sides
        self.assertEqual((both.first.stance_id, both.second.stance_id), (2, 1))

    def test_a_source_with_both_sides_is_left_out_of_the_order(self):
        statements = [
            said(1, S, "2019"),
            said(2, D, "2020", source=9, offset=1),
            said(3, S, "2020", source=9, offset=2),
            said(4, D, "2021"),
        ]

        reading = read_position(statements)

        self.assertEqual(pairs(reading), [(1, 4)])
        self.assertEqual([both.source_id for both in reading.both_sides], [9])

    def test_one_side_twice_in_one_source_is_not_both_sides(self):
        reading = read_position([said(1, S, "2019", source=9), said(2, S, "2020", source=9), said(3, D, "2021")])

        self.assertEqual(reading.both_sides, ())
        self.assertEqual(pairs(reading), [(2, 3)])


DATES = st.sampled_from(["", "2020", "2021", "2021-03", "2021-04", "2021-03-15", "2021-03-16", "2022-12-31"])


@st.composite
def statements(draw):
    count = draw(st.integers(min_value=0, max_value=8))
    return [
        said(
            number,
            draw(st.sampled_from([S, D, Q])),
            draw(DATES),
            source=draw(st.integers(min_value=1, max_value=4)),
            offset=draw(st.integers(min_value=0, max_value=3)),
        )
        for number in range(1, count + 1)
    ]


class RuleProperties(SimpleTestCase):
    @given(statements(), st.randoms())
    def test_the_reading_does_not_depend_on_the_order_statements_come_in(self, made, rng: random.Random):
        shuffled = list(made)
        rng.shuffle(shuffled)

        self.assertEqual(read_position(shuffled), read_position(made))

    @given(statements())
    def test_every_change_is_between_opposite_sides_the_earlier_certainly_first(self, made):
        reading = read_position(made)

        two_sided = {both.source_id for both in reading.both_sides}
        for change in reading.changes:
            self.assertEqual({change.earlier.side, change.later.side}, {S, D})
            self.assertLess(change.earlier.period[1], change.later.period[0])
            self.assertNotIn(change.earlier.source_id, two_sided)
            self.assertNotIn(change.later.source_id, two_sided)

    @given(statements())
    def test_changes_come_in_the_order_they_were_made(self, made):
        changes = read_position(made).changes

        for before, after in pairwise(changes):
            self.assertLessEqual(before.later.period[0], after.earlier.period[0])
