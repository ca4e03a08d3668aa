"""A question's answers on one axis, drawn on the server as SVG.

Dates go on a time axis and numbers on a number line: one row per answer, its
value drawn as a dot (one day, one figure) or a bar (a month, a year, a range;
an open bound such as "at least 30" runs to the edge with an arrow), labelled
with its claimant. Answers that state the same value share a colour. The SVG
has no viewBox: x coordinates are percentages of its width, so it fills any
column, from a phone's to a desktop's, without shrinking its text (and with no
style attributes, which the Content Security Policy forbids).

On a right-to-left page (Urdu, Persian, Pashto) the axis is mirrored: values
grow from right to left, x being 100 − x, an open bound's arrow points the
other way, and labels are anchored from the other side. The text is not
mirrored; the SVG says direction="ltr" so that its anchors mean left and right.

Actors and yes/no have no axis; the page lists them by value instead.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import dateformat
from django.utils.translation import get_language_bidi

from claims.questions import ValueType
from claims.values import QuantityValue

LEFT_PERCENT = 3.0
RIGHT_PERCENT = 97.0
ROW_HEIGHT = 40
TOP = 8
AXIS_HEIGHT = 34
MIN_BAR_PERCENT = 0.8  # a day on a ten-year axis is still visible
MAX_TICKS = 6
GROUP_COLOURS = 6  # site.css has axis__mark--g0 … g5


@dataclass
class Row:
    answer: object
    group: int
    x1: float  # percent
    x2: float
    y: float
    open_left: bool = False
    open_right: bool = False
    rtl: bool = False

    @property
    def is_point(self) -> bool:
        return self.x2 - self.x1 <= MIN_BAR_PERCENT and not (self.open_left or self.open_right)

    @property
    def middle(self) -> float:
        return (self.x1 + self.x2) / 2

    @property
    def label_y(self) -> float:
        return self.y - 11

    @property
    def _label_at_start(self) -> bool:
        """Whether the label begins where the bar begins (at its left, or its right when mirrored)."""
        return self.middle > 45 if self.rtl else self.middle < 55

    @property
    def label_x(self) -> float:
        """Labels start at the bar and run the way values grow, unless that would leave the drawing."""
        if self._label_at_start:
            return self.x2 if self.rtl else self.x1
        return self.x1 if self.rtl else self.x2

    @property
    def label_anchor(self) -> str:
        return "end" if self._label_at_start == self.rtl else "start"

    def mirrored(self) -> "Row":
        """This row on a right-to-left page: reflected in the middle of the axis."""
        return Row(
            self.answer, self.group, 100 - self.x2, 100 - self.x1, self.y, self.open_right, self.open_left, rtl=True
        )

    @property
    def colour(self) -> int:
        return self.group % GROUP_COLOURS


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Axis:
    rows: list[Row]
    ticks: list[Tick]
    height: int
    axis_y: int
    kind: str

    @property
    def left(self) -> float:
        return LEFT_PERCENT

    @property
    def right(self) -> float:
        return RIGHT_PERCENT


def draw(question, groups: list[list]) -> Axis | None:
    """The axis for ``groups`` (answers grouped by value, in value order), or None for types without one."""
    if question.value_type == ValueType.DATE:
        return _draw(groups, _date_extent, _date_ticks, kind="date")
    if question.value_type == ValueType.QUANTITY:
        return _draw(groups, _number_extent, _number_ticks, kind="number")
    return None


def _draw(groups, extent, ticks, *, kind: str) -> Axis | None:
    answers = [answer for group in groups for answer in group]
    if not answers:
        return None
    low, high = extent(answers)
    if high <= low:
        low, high = low - 1, high + 1
    span = high - low

    def x(value) -> float:
        return LEFT_PERCENT + (RIGHT_PERCENT - LEFT_PERCENT) * float((value - low) / span)

    rows = []
    y = TOP + 18
    for number, group in enumerate(groups):
        for answer in group:
            start, end, open_left, open_right = _interval(answer, kind, low, high)
            x1, x2 = x(start), x(end)
            if kind == "date":
                x2 = max(x2, x1 + MIN_BAR_PERCENT) if end > start else x2
            rows.append(Row(answer, number, x1, x2, y, open_left, open_right))
            y += ROW_HEIGHT
    axis_y = y - ROW_HEIGHT + 22
    tick_list = [Tick(x(value), label) for value, label in ticks(low, high)]
    if get_language_bidi():
        rows = [row.mirrored() for row in rows]
        tick_list = [Tick(100 - tick.x, tick.label) for tick in tick_list]
    return Axis(rows=rows, ticks=tick_list, height=axis_y + AXIS_HEIGHT, axis_y=axis_y, kind=kind)


def _interval(answer, kind, low, high):
    if kind == "date":
        start = answer.date_low.toordinal()
        end = answer.date_high.toordinal() + 1  # a day covers its whole width
        return start, end, False, False
    value: QuantityValue = answer.value
    return (
        value.low if value.low is not None else low,
        value.high if value.high is not None else high,
        value.low is None,
        value.high is None,
    )


# ---------------------------------------------------------------------------
# Dates


def _date_extent(answers) -> tuple[int, int]:
    first = min(answer.date_low for answer in answers)
    last = max(answer.date_high for answer in answers)
    low, high = first.toordinal(), last.toordinal() + 1
    padding = max(15, (high - low) // 12)
    return low - padding, high + padding


def _date_ticks(low: int, high: int) -> list[tuple[int, str]]:
    """First days of months (or of years, on long axes), at most MAX_TICKS of them."""
    start, end = datetime.date.fromordinal(low), datetime.date.fromordinal(high)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next(
        (step for step in (1, 2, 3, 6, 12) if months / step <= MAX_TICKS), 12 * (-(-months // (12 * MAX_TICKS)))
    )
    ticks = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = datetime.date(year, month, 1)
        if low <= day.toordinal() <= high:
            if step < 12 and (month - 1) % step == 0:
                ticks.append((day.toordinal(), dateformat.format(day, "M Y")))
            elif step >= 12 and month == 1 and year % (step // 12) == 0:
                ticks.append((day.toordinal(), str(year)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


# ---------------------------------------------------------------------------
# Numbers


def _number_extent(answers) -> tuple[Decimal, Decimal]:
    bounds = [bound for answer in answers for bound in (answer.value.low, answer.value.high) if bound is not None]
    low, high = min(bounds), max(bounds)
    padding = (high - low) / 10 if high > low else max(abs(high) / 10, Decimal(1))
    open_low = any(answer.value.low is None for answer in answers)
    open_high = any(answer.value.high is None for answer in answers)
    # Room for an open bound's arrow beyond the figures that are known.
    return low - padding * (3 if open_low else 1), high + padding * (3 if open_high else 1)


def _number_ticks(low: Decimal, high: Decimal) -> list[tuple[Decimal, str]]:
    """Round figures (1, 2, 2.5 or 5 times a power of ten apart), at most about MAX_TICKS of them."""
    raw = (high - low) / MAX_TICKS
    power = Decimal(10) ** (raw.adjusted() if raw > 0 else 0)
    step = next(
        power * multiple
        for multiple in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if power * multiple >= raw
    )
    value = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks = []
    while value <= high:
        ticks.append((value, _figure(value)))
        value += step
    return ticks


def _figure(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
