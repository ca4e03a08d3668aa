"""The timeline and the answer axis on right-to-left pages: time runs from right to left, text is not mirrored."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils import translation

from claims.questions import ValueType
from claims.values import QuantityValue
from reader import answer_axis
from reader.templatetags.timeline import claims_timeline
from reader.timeline import WIDTH, layout
from sources.dates import DatePrecision


def stance(side, date, precision=DatePrecision.DAY, name="Speaker", pk=1):
    claim = SimpleNamespace(pk=pk, asserted_on=date, asserted_precision=precision, claimant=SimpleNamespace(name=name))
    return SimpleNamespace(side=side, claim=claim, get_side_display=lambda: side.capitalize())


STANCES = [
    stance("supports", datetime.date(2022, 6, 1), DatePrecision.MONTH, pk=1),
    stance("supports", datetime.date(2022, 11, 20), pk=2),
    stance("disputes", datetime.date(2022, 12, 21), pk=3),
]


def laid_out(language: str):
    with translation.override(language):
        return layout(STANCES)


def markers(timeline) -> dict[int, object]:
    return {marker.stance.claim.pk: marker for lane in timeline.lanes for marker in lane.markers}


class MirroredTimelineTest(SimpleTestCase):
    def test_in_urdu_every_marker_is_reflected_in_the_middle_of_the_drawing(self):
        english, urdu = markers(laid_out("en")), markers(laid_out("ur"))

        for pk, marker in english.items():
            self.assertAlmostEqual(urdu[pk].x, WIDTH - marker.x)
            self.assertAlmostEqual(urdu[pk].x1, WIDTH - marker.x2)
            self.assertAlmostEqual(urdu[pk].x2, WIDTH - marker.x1)
            self.assertLess(urdu[pk].x1, urdu[pk].x2)

    def test_in_pashto_and_persian_time_runs_from_right_to_left(self):
        for language in ("ps", "fa"):
            with self.subTest(language=language):
                drawn = markers(laid_out(language))
                self.assertGreater(drawn[1].x, drawn[2].x)  # June is right of November
                self.assertGreater(drawn[2].x, drawn[3].x)

    def test_english_is_not_mirrored(self):
        drawn = markers(laid_out("en"))

        self.assertLess(drawn[1].x, drawn[2].x)

    def test_ticks_and_the_axis_are_mirrored_and_lane_labels_stand_at_the_right(self):
        english, urdu = laid_out("en"), laid_out("ur")

        self.assertEqual([round(WIDTH - tick.x, 6) for tick in english.ticks], [round(t.x, 6) for t in urdu.ticks])
        self.assertEqual((urdu.left, urdu.right), (WIDTH - english.right, WIDTH - english.left))
        self.assertEqual((english.lane_label_x, english.lane_label_anchor), (10, "start"))
        self.assertEqual((urdu.lane_label_x, urdu.lane_label_anchor), (WIDTH - 10, "end"))

    def test_the_narrow_drawing_puts_the_axis_at_the_right_and_the_labels_at_the_left(self):
        english, urdu = laid_out("en").down, laid_out("ur").down

        self.assertEqual(urdu.axis_x, urdu.width - english.axis_x)
        self.assertEqual((urdu.tick_x, urdu.tick_anchor), (urdu.axis_x + 6, "start"))
        for before, after in zip(english.rows, urdu.rows, strict=True):
            self.assertEqual(after.x, urdu.width - before.x)
            self.assertEqual(after.label_x, urdu.width - before.label_x)
            self.assertEqual((before.label_anchor, after.label_anchor), ("start", "end"))
            self.assertLess(after.connector[1], after.connector[0])  # from the marker leftwards to the label

    def test_the_svg_anchors_mean_left_and_right_whatever_the_page_direction(self):
        with translation.override("ur"):
            html = render_to_string("reader/_timeline.html", claims_timeline(STANCES))

        self.assertEqual(html.count('direction="ltr"'), 2)
        self.assertIn(f'x="{WIDTH - 10}"', html)
        self.assertIn('text-anchor="end"', html)


def answer(pk, low, high=None):
    return SimpleNamespace(pk=pk, value=QuantityValue(low=low, high=high))


def dated_answer(pk, low, high):
    return SimpleNamespace(pk=pk, date_low=low, date_high=high)


class MirroredAnswerAxisTest(SimpleTestCase):
    question = SimpleNamespace(value_type=ValueType.QUANTITY)
    groups = [[answer(1, Decimal(10), Decimal(10))], [answer(2, Decimal(30), None)]]

    def drawn(self, language):
        with translation.override(language):
            return answer_axis.draw(self.question, self.groups)

    def test_in_urdu_x_is_a_hundred_minus_x(self):
        english, urdu = self.drawn("en"), self.drawn("ur")

        for before, after in zip(english.rows, urdu.rows, strict=True):
            self.assertAlmostEqual(after.x1, 100 - before.x2)
            self.assertAlmostEqual(after.x2, 100 - before.x1)
        self.assertEqual([round(100 - t.x, 6) for t in english.ticks], [round(t.x, 6) for t in urdu.ticks])

    def test_an_open_bound_points_the_other_way(self):
        english, urdu = self.drawn("en"), self.drawn("ur")

        self.assertEqual((english.rows[1].open_left, english.rows[1].open_right), (False, True))
        self.assertEqual((urdu.rows[1].open_left, urdu.rows[1].open_right), (True, False))

    def test_labels_are_anchored_from_the_other_side(self):
        english, urdu = self.drawn("en"), self.drawn("ur")

        low_en, low_ur = english.rows[0], urdu.rows[0]
        self.assertEqual((low_en.label_x, low_en.label_anchor), (low_en.x1, "start"))
        self.assertEqual((low_ur.label_x, low_ur.label_anchor), (low_ur.x2, "end"))

    def test_a_date_axis_runs_from_right_to_left(self):
        question = SimpleNamespace(value_type=ValueType.DATE)
        may, june = (
            [dated_answer(1, datetime.date(2022, 5, 1), datetime.date(2022, 5, 31))],
            [dated_answer(2, datetime.date(2022, 6, 1), datetime.date(2022, 6, 30))],
        )
        with translation.override("ps"):
            axis = answer_axis.draw(question, [may, june])

        self.assertGreater(axis.rows[0].middle, axis.rows[1].middle)
