import datetime
import itertools
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.test import SimpleTestCase

from claims.models import Side
from reader.templatetags.timeline import claims_timeline
from reader.timeline import asserted_range, layout, wrap_label
from sources.dates import DatePrecision


def stance(side, date=None, precision=DatePrecision.UNKNOWN, name="Speaker", pk=1):
    claim = SimpleNamespace(pk=pk, asserted_on=date, asserted_precision=precision, claimant=SimpleNamespace(name=name))
    return SimpleNamespace(side=side, claim=claim, get_side_display=lambda: side.capitalize())


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

        self.assertEqual([lane.side.value for lane in result.lanes], ["supports", "disputes"])
        june, november = sorted(result.lanes[0].markers, key=lambda m: m.x)
        self.assertLess(june.x, november.x)
        self.assertTrue(june.is_range)
        self.assertFalse(result.lanes[1].markers[0].is_range)

    def test_claims_on_the_same_day_are_stacked_not_drawn_over_each_other(self):
        day = datetime.date(2022, 12, 21)
        result = layout([stance("disputes", day, DatePrecision.DAY), stance("disputes", day, DatePrecision.DAY)])

        first, second = result.lanes[0].markers
        self.assertEqual(first.x, second.x)
        self.assertNotEqual(first.y, second.y)

    def test_undated_claims_are_listed_not_placed(self):
        result = layout([stance("supports"), stance("disputes", datetime.date(2022, 1, 1), DatePrecision.YEAR)])

        self.assertEqual(len(result.undated), 1)
        self.assertEqual(sum(len(lane.markers) for lane in result.lanes), 1)

    def test_nothing_is_drawn_without_a_dated_claim(self):
        self.assertEqual(layout([stance("supports")]).lanes, [])

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

        self.assertIn("Jul 2022", [tick.label for tick in short.ticks])
        self.assertTrue(all(tick.label.isdigit() for tick in long.ticks))
        self.assertLessEqual(len(long.ticks), 8)


class NarrowTimelineLayoutTest(SimpleTestCase):
    """The drawing shown on phones: time runs down, each claim on a row with its label."""

    def test_each_claim_gets_a_row_in_date_order_and_rows_never_overlap(self):
        day = datetime.date(2022, 12, 21)
        result = layout(
            [
                stance("disputes", datetime.date(2023, 2, 1), DatePrecision.MONTH, name="Later"),
                stance("supports", day, DatePrecision.DAY, name="Same day, supports"),
                stance("disputes", day, DatePrecision.DAY, name="Same day, disputes"),
                stance("qualifies", datetime.date(2021, 1, 1), DatePrecision.YEAR, name="Earlier"),
            ]
        )

        rows = result.down.rows
        self.assertEqual(
            [row.lines[0] for row in rows], ["Earlier", "Same day, supports", "Same day, disputes", "Later"]
        )
        for above, below in itertools.pairwise(rows):
            self.assertGreaterEqual(below.y, above.y + above.height)

    def test_each_side_has_its_own_column_and_labels_start_after_the_last(self):
        result = layout(
            [
                stance("supports", datetime.date(2022, 1, 1), DatePrecision.DAY),
                stance("disputes", datetime.date(2022, 2, 1), DatePrecision.DAY),
                stance("qualifies", datetime.date(2022, 3, 1), DatePrecision.DAY),
            ]
        )

        rows = result.down.rows
        self.assertEqual(len({row.x for row in rows}), 3)
        self.assertTrue(all(row.label_x > max(r.x for r in rows) + 8 for row in rows))
        self.assertEqual([entry.lane.side.value for entry in result.down.legend], [s.value for s in Side])

    def test_ticks_keep_their_spacing_after_a_crowded_day(self):
        crowded = [stance("supports", datetime.date(2022, 12, 21), DatePrecision.DAY) for _ in range(6)]
        result = layout([*crowded, stance("disputes", datetime.date(2023, 12, 1), DatePrecision.MONTH)])

        tick_ys = [tick.y for tick in result.down.ticks]
        self.assertGreaterEqual(len(tick_ys), 4)
        gaps = [below - above for above, below in itertools.pairwise(tick_ys)]
        self.assertGreater(min(gaps), 16)  # more than a line of tick text: labels never collide

    def test_the_drawing_is_tall_enough_for_every_row_and_fits_a_phone(self):
        result = layout([stance("supports", datetime.date(2022, 5, d), DatePrecision.DAY) for d in range(1, 11)])

        down = result.down
        last = down.rows[-1]
        self.assertGreaterEqual(down.height, last.date_y + 8)
        self.assertLessEqual(down.width, 360)
        self.assertTrue(all(row.label_x + 4 + len(line) * 7.4 <= 360 for row in down.rows for line in row.lines))

    def test_only_a_month_or_year_is_drawn_as_a_bar(self):
        result = layout(
            [
                stance("supports", datetime.date(2022, 12, 21), DatePrecision.DAY),
                stance("supports", datetime.date(2022, 1, 1), DatePrecision.YEAR),
            ]
        )

        year, day = result.down.rows
        self.assertTrue(year.is_range)
        self.assertLess(year.y1, year.y)
        self.assertGreater(year.y2, year.y)
        self.assertFalse(day.is_range)

    def test_long_names_wrap_onto_two_lines_and_are_cut_with_an_ellipsis(self):
        self.assertEqual(wrap_label("Zabihullah Mujahid", 24), ["Zabihullah Mujahid"])
        self.assertEqual(
            wrap_label("Author of the Kabul-datelined report (outlet not named)", 24),
            ["Author of the", "Kabul-datelined report…"],
        )
        self.assertEqual(wrap_label("Averyveryverylongsinglewordname", 10), ["Averyvery…"])


class TimelineTemplateTest(SimpleTestCase):
    def render(self, stances):
        return render_to_string("reader/_timeline.html", claims_timeline(stances))

    def test_both_drawings_and_a_dated_list_are_rendered(self):
        claim_stance = stance(
            "supports", datetime.date(2022, 6, 1), DatePrecision.MONTH, name="Government of Pakistan", pk=7
        )

        html = self.render([claim_stance])

        self.assertIn('<svg class="timeline__chart"', html)
        self.assertIn('<svg class="timeline__vertical"', html)
        self.assertEqual(html.count('aria-label="Supports: Government of Pakistan, June 2022"'), 2)
        self.assertIn('<time datetime="2022-06">June 2022</time>', html)
        self.assertIn('href="#claim-7"><bdi>Government of Pakistan</bdi></a>', html)
        self.assertNotIn("style=", html)

    def test_names_are_escaped_in_the_drawings(self):
        claim_stance = stance("disputes", datetime.date(2022, 6, 1), DatePrecision.DAY, name="<script>x</script>")

        html = self.render([claim_stance])

        self.assertNotIn("<script>", html)
        self.assertIn("&lt;script&gt;", html)
