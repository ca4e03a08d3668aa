import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase

from claims.templatetags.timeline import asserted_range, layout
from sources.dates import DatePrecision


def stance(side, date=None, precision=DatePrecision.UNKNOWN, name="Speaker"):
    claim = SimpleNamespace(asserted_on=date, asserted_precision=precision, claimant=SimpleNamespace(name=name))
    return SimpleNamespace(side=side, claim=claim)


class TimelineLayoutTest(SimpleTestCase):
    def test_a_month_precise_date_spans_the_month(self):
        claim = stance("supports", datetime.date(2022, 2, 1), DatePrecision.MONTH).claim

        self.assertEqual(asserted_range(claim), (datetime.date(2022, 2, 1), datetime.date(2022, 2, 28)))

    def test_one_lane_per_side_with_claims_in_date_order(self):
        result = layout(
            [
                stance("disputes", datetime.date(2022, 12, 21), DatePrecision.DAY),
                stance("supports", datetime.date(2022, 6, 1), DatePrecision.MONTH),
                stance("supports", datetime.date(2022, 11, 1), DatePrecision.MONTH),
            ]
        )

        self.assertEqual([lane.side.value for lane in result["lanes"]], ["supports", "disputes"])
        june, november = sorted(result["lanes"][0].markers, key=lambda m: m.x)
        self.assertLess(june.x, november.x)
        self.assertTrue(june.is_range)
        self.assertFalse(result["lanes"][1].markers[0].is_range)

    def test_claims_on_the_same_day_are_stacked_not_drawn_over_each_other(self):
        day = datetime.date(2022, 12, 21)
        result = layout([stance("disputes", day, DatePrecision.DAY), stance("disputes", day, DatePrecision.DAY)])

        first, second = result["lanes"][0].markers
        self.assertEqual(first.x, second.x)
        self.assertNotEqual(first.y, second.y)

    def test_undated_claims_are_listed_not_placed(self):
        result = layout([stance("supports"), stance("disputes", datetime.date(2022, 1, 1), DatePrecision.YEAR)])

        self.assertEqual(len(result["undated"]), 1)
        self.assertEqual(sum(len(lane.markers) for lane in result["lanes"]), 1)

    def test_nothing_is_drawn_without_a_dated_claim(self):
        self.assertEqual(layout([stance("supports")])["lanes"], [])

    def test_ticks_are_months_for_a_short_span_and_years_for_a_long_one(self):
        short = layout(
            [
                stance("supports", datetime.date(2022, 5, 1), DatePrecision.MONTH),
                stance("disputes", datetime.date(2022, 12, 1), DatePrecision.MONTH),
            ]
        )
        long = layout(
            [
                stance("supports", datetime.date(2001, 1, 1), DatePrecision.YEAR),
                stance("disputes", datetime.date(2022, 1, 1), DatePrecision.YEAR),
            ]
        )

        self.assertIn("Jul 2022", [tick["label"] for tick in short["ticks"]])
        self.assertTrue(all(tick["label"].isdigit() for tick in long["ticks"]))
        self.assertLessEqual(len(long["ticks"]), 8)
