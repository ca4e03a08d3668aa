"""The timeline of a contradiction's claims, drawn on the server as SVG.

One lane per side; each claim is a marker at the date it was asserted, shaped
by side (circle: supports, square: disputes, diamond: qualifies) as well as
coloured, and labelled for assistive technology. A claim known only to the
month or year is drawn as a bar across that month or year with its marker in
the middle. Claims with no known date cannot be placed; they are listed under
the drawing instead. Colours come from classes in site.css (no style attributes:
the Content Security Policy forbids them).

Two drawings are made of the same claims. The wide one runs time from left to
right. The narrow one, which site.css shows on phones instead, runs time down
the page: one thin column per side, and each claim on a row of its own with
the claimant and the date written beside its marker. Rows never overlap: a
claim too close to the previous one is pushed down, and the date axis bends
with it, so the ticks stay true to the markers.

On a right-to-left page (Urdu, Persian, Pashto) both drawings are mirrored
(``mirror``): time runs from right to left, the lane labels stand at the
right, and in the narrow drawing the axis is at the right and the labels at
the left. Text itself is never mirrored, only placed and anchored from the
other side; the SVG says direction="ltr" so that its anchors mean left and
right whatever the page's direction.
"""

import bisect
import calendar
import datetime
from dataclasses import dataclass, field

from django.utils import dateformat
from django.utils.text import capfirst
from django.utils.translation import get_language_bidi

from claims.models import Side
from sources.dates import DatePrecision, format_partial_date, iso_partial_date

WIDTH = 800
LEFT = 128  # room for the lane labels
RIGHT = 24
AXIS_HEIGHT = 30
ROW_HEIGHT = 18
LANE_PADDING = 14
MIN_GAP = 16  # markers closer than this (in px) go on separate rows
MAX_TICKS = 8
# The one place a side's symbol is written: pages show it beside the side's colour and shape.
SIDE_SYMBOLS = {Side.SUPPORTS: "✓", Side.DISPUTES: "✗", Side.QUALIFIES: "~"}

# The narrow drawing is as wide as a phone's column of text, so that it is drawn at about its own size.
DOWN_WIDTH = 360
DOWN_AXIS_X = 66  # the tick labels end left of the axis
DOWN_TOP = 52  # room for the legend and the column heads
DOWN_COLUMN = 26
DOWN_LINE = 16  # one line of label text
DOWN_ROW_GAP = 10
DOWN_CHAR_WIDTH = 7.4  # a generous average width of one character of label text, to wrap names
DOWN_MIN_SPAN = 200  # px of time axis, at least; a little more with more claims
DOWN_SPAN_PER_CLAIM = 10
DOWN_LEGEND_ITEM = 112


class Shape:
    """A side's marker at (x, y): circle, square or diamond."""

    x: float
    y: float

    @property
    def square_corner(self) -> tuple[float, float]:
        return self.x - 6.5, self.y - 6.5

    @property
    def diamond_points(self) -> str:
        return f"{self.x:.1f},{self.y - 8:.1f} {self.x + 8:.1f},{self.y:.1f} {self.x:.1f},{self.y + 8:.1f} {self.x - 8:.1f},{self.y:.1f}"


@dataclass
class Marker(Shape):
    stance: object
    start: datetime.date
    end: datetime.date
    x: float = 0
    x1: float = 0
    x2: float = 0
    y: float = 0
    row: int = 0

    @property
    def is_range(self) -> bool:
        return self.x2 - self.x1 >= 4

    @property
    def iso_date(self) -> str:
        claim = self.stance.claim
        return iso_partial_date(claim.asserted_on, claim.asserted_precision)

    @property
    def date_label(self) -> str:
        claim = self.stance.claim
        return format_partial_date(claim.asserted_on, claim.asserted_precision)


@dataclass
class Lane:
    side: Side
    label: str
    markers: list
    top: float = 0
    height: float = 0
    x: float = 0  # the middle of its column in the narrow drawing

    @property
    def middle(self) -> float:
        return self.top + self.height / 2

    @property
    def symbol(self) -> str:
        return SIDE_SYMBOLS[self.side]

    @property
    def column_left(self) -> float:
        return self.x - DOWN_COLUMN / 2


@dataclass
class LegendEntry(Shape):
    lane: Lane
    x: float
    y: float
    rtl: bool = False

    @property
    def text_x(self) -> float:
        return self.x - 12 if self.rtl else self.x + 12

    @property
    def text_anchor(self) -> str:
        return "end" if self.rtl else "start"


@dataclass
class Row(Shape):
    """One claim in the narrow drawing: its marker, its bar, and its label lines."""

    marker: Marker
    lane: Lane
    x: float
    y: float
    lines: list
    y1: float = 0
    y2: float = 0
    label_x: float = 0
    rtl: bool = False

    @property
    def height(self) -> float:
        return DOWN_LINE * (len(self.lines) + 1)

    @property
    def is_range(self) -> bool:
        return self.marker.start != self.marker.end and self.y2 - self.y1 >= 4

    @property
    def line_ys(self) -> list[tuple[str, float]]:
        return [(line, self.y + DOWN_LINE * n) for n, line in enumerate(self.lines)]

    @property
    def connector(self) -> tuple[float, float]:
        """From the marker's edge to the label: a guide across the other sides' columns."""
        if self.rtl:
            return self.x - 9, self.label_x + 4
        return self.x + 9, self.label_x - 4

    @property
    def label_anchor(self) -> str:
        return "end" if self.rtl else "start"

    @property
    def date_y(self) -> float:
        return self.y + DOWN_LINE * len(self.lines)


@dataclass
class AcrossTick:
    x: float
    label: str


@dataclass
class DownTick:
    y: float
    label: str


@dataclass
class DownChart:
    """The narrow drawing: time runs down the page."""

    width: float
    height: float
    rows: list[Row]
    legend: list[LegendEntry]
    axis_x: float
    top: float
    column_top: float
    head_y: float
    grid_right: float
    ticks: list[DownTick]
    rtl: bool = False

    @property
    def tick_x(self) -> float:
        """Tick labels end just before the axis (begin just after it, when mirrored)."""
        return self.axis_x + 6 if self.rtl else self.axis_x - 6

    @property
    def tick_anchor(self) -> str:
        return "start" if self.rtl else "end"


@dataclass
class Timeline:
    """Both drawings of a contradiction's claims, and the claims that have no known date.

    With no dated claim, ``lanes`` is empty and only ``undated`` means anything.
    """

    lanes: list[Lane]
    undated: list
    width: float = WIDTH
    height: float = 0
    left: float = LEFT
    right: float = WIDTH - RIGHT
    axis_y: float = AXIS_HEIGHT
    ticks: list[AcrossTick] = field(default_factory=list)
    first: datetime.date | None = None
    last: datetime.date | None = None
    dated: list[Marker] = field(default_factory=list)
    down: DownChart | None = None
    rtl: bool = False

    @property
    def lane_label_x(self) -> float:
        return self.width - 10 if self.rtl else 10

    @property
    def lane_label_anchor(self) -> str:
        return "end" if self.rtl else "start"


def asserted_range(claim) -> tuple[datetime.date, datetime.date] | None:
    """The days a claim may have been asserted on, or None when the date is unknown."""
    date, precision = claim.asserted_on, claim.asserted_precision
    if date is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return datetime.date(date.year, 1, 1), datetime.date(date.year, 12, 31)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    return date, date


def wrap_label(text: str, width: int, max_lines: int = 2) -> list[str]:
    """``text`` in lines of at most ``width`` characters, cut with an ellipsis after ``max_lines``."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    cut = len(lines) > max_lines
    lines = lines[:max_lines]
    for n, line in enumerate(lines):
        if len(line) > width or (cut and n == len(lines) - 1):
            lines[n] = line[: width - 1].rstrip() + "…"
    return lines


def _ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    months = (last.year - first.year) * 12 + last.month - first.month
    if months > 36:
        step = max(1, -(-(last.year - first.year + 1) // MAX_TICKS))
        return [(datetime.date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1, step)]
    step = next(s for s in (1, 2, 3, 6, 12) if months / s <= MAX_TICKS)
    ticks, year, month = [], first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        tick = datetime.date(year, month, 1)
        if tick > last:
            return ticks
        if (month - 1) % step == 0:
            label = str(year) if month == 1 else dateformat.format(tick, "M Y")
            ticks.append((tick, label))


def _layout_down(shown: list[Lane], first: datetime.date, last: datetime.date) -> DownChart:
    """The narrow drawing: time runs down, each claim on its own row (see the module's docstring)."""
    label_x = DOWN_AXIS_X + 6 + DOWN_COLUMN * len(shown) + 12
    label_chars = int((DOWN_WIDTH - label_x - 4) / DOWN_CHAR_WIDTH)
    for n, lane in enumerate(shown):
        lane.x = DOWN_AXIS_X + 6 + DOWN_COLUMN * (n + 0.5)
    side_order = list(Side)

    def days(date: datetime.date) -> int:
        return (date - first).days

    def middle(marker: Marker) -> float:
        return (days(marker.start) + days(marker.end) + 1) / 2

    placed = sorted(
        ((middle(m), m, lane) for lane in shown for m in lane.markers),
        key=lambda item: (item[0], item[1].end, side_order.index(item[2].side)),
    )
    scale = max(DOWN_MIN_SPAN, DOWN_SPAN_PER_CLAIM * len(placed)) / days(last)
    # A row pushed down pushes everything after it by as much, so that time is only ever
    # stretched, never squeezed: the ticks after a crowded day keep their spacing.
    rows, bottom, push = [], DOWN_TOP + DOWN_LINE / 2, 0.0
    for day, marker, lane in placed:
        lines = wrap_label(marker.stance.claim.claimant.name, label_chars)
        y = max(DOWN_TOP + day * scale + push, bottom)
        push = y - DOWN_TOP - day * scale
        row = Row(marker, lane, lane.x, y, lines, label_x=label_x)
        bottom = row.y + row.height + DOWN_ROW_GAP
        rows.append(row)
    middles, ys = [day for day, _, _ in placed], [row.y for row in rows]

    def y_of(day: float) -> float:
        """Where ``day`` falls on the axis, which is bent where rows were pushed apart."""
        i = bisect.bisect_left(middles, day)
        if i < len(middles) and middles[i] == day:
            return ys[i]
        if i == 0:
            return ys[0] - (middles[0] - day) * scale
        if i == len(middles):
            return ys[-1] + (day - middles[-1]) * scale
        return ys[i - 1] + (ys[i] - ys[i - 1]) * (day - middles[i - 1]) / (middles[i] - middles[i - 1])

    for row in rows:
        # A bar keeps its true length around its marker; where rows were pushed, the axis is
        # stretched, and a bar drawn to the stretched axis would make one day look like a month.
        half = ((row.marker.end - row.marker.start).days + 1) * scale / 2
        row.y1, row.y2 = row.y - half, row.y + half
    height = max(rows[-1].y + rows[-1].height, y_of(days(last))) + 4
    return DownChart(
        width=DOWN_WIDTH,
        height=height,
        rows=rows,
        legend=[LegendEntry(lane, 10 + DOWN_LEGEND_ITEM * n, 14) for n, lane in enumerate(shown)],
        axis_x=DOWN_AXIS_X,
        top=DOWN_TOP,
        column_top=DOWN_TOP - 24,
        head_y=DOWN_TOP - 11,
        grid_right=label_x - 6,
        ticks=[
            DownTick(y, label)
            for y, label in ((y_of(days(date)), label) for date, label in _ticks(first, last))
            if DOWN_TOP <= y <= height
        ],
    )


def layout(stances) -> Timeline:
    """Place the dated claims of ``stances``; list the undated ones."""
    lanes = {side: Lane(side, side_label(side), []) for side in Side}
    undated = []
    for stance in stances:
        dates = asserted_range(stance.claim)
        if dates is None:
            undated.append(stance)
        else:
            lanes[Side(stance.side)].markers.append(Marker(stance, *dates))
    markers = [m for lane in lanes.values() for m in lane.markers]
    if not markers:
        return Timeline(lanes=[], undated=undated)

    first, last = min(m.start for m in markers), max(m.end for m in markers)
    if (last - first).days < 60:  # a single day or month would fill the width
        middle = first + (last - first) / 2
        first, last = middle - datetime.timedelta(days=45), middle + datetime.timedelta(days=45)
    padding = datetime.timedelta(days=max(7, (last - first).days // 25))
    first, last = first - padding, last + padding
    span = (last - first).days

    def x_of(date: datetime.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (date - first).days / span

    top = AXIS_HEIGHT
    shown = [lane for lane in lanes.values() if lane.markers]
    for lane in shown:
        rows: list[float] = []
        for marker in sorted(lane.markers, key=lambda m: (m.start, m.end)):
            marker.x1, marker.x2 = x_of(marker.start), x_of(marker.end + datetime.timedelta(days=1))
            marker.x = (marker.x1 + marker.x2) / 2
            marker.row = next((i for i, right in enumerate(rows) if right + MIN_GAP <= marker.x1), len(rows))
            if marker.row == len(rows):
                rows.append(0)
            rows[marker.row] = max(marker.x2, marker.x + MIN_GAP / 2)
        lane.top, lane.height = top, len(rows) * ROW_HEIGHT + 2 * LANE_PADDING
        for marker in lane.markers:
            marker.y = lane.top + LANE_PADDING + ROW_HEIGHT * (marker.row + 0.5)
        top += lane.height
    timeline = Timeline(
        lanes=shown,
        undated=undated,
        height=top + 4,
        ticks=[AcrossTick(x_of(date), label) for date, label in _ticks(first, last)],
        first=first,
        last=last,
        dated=sorted(markers, key=lambda m: (m.start, m.end)),
        down=_layout_down(shown, first, last),
    )
    return mirror(timeline) if get_language_bidi() else timeline


def side_label(side: Side) -> str:
    """A lane's label: the side's symbol and name ("✓ Supports"), in the active language."""
    return f"{SIDE_SYMBOLS[side]} {capfirst(side.label)}"


def mirror(timeline: Timeline) -> Timeline:
    """``timeline`` drawn for a right-to-left page: every x reflected in the middle of its drawing.

    Markers, bars, ticks and the axis of the wide drawing; the axis, columns,
    connectors, labels and legend of the narrow one. Labels are anchored from
    the other side (``rtl``), so their text still reads the right way.
    """
    width = timeline.width
    for lane in timeline.lanes:
        for marker in lane.markers:
            marker.x, marker.x1, marker.x2 = width - marker.x, width - marker.x2, width - marker.x1
    for tick in timeline.ticks:
        tick.x = width - tick.x
    timeline.left, timeline.right = width - timeline.right, width - timeline.left
    timeline.rtl = True
    down = timeline.down
    if down is not None:
        for lane in timeline.lanes:
            lane.x = down.width - lane.x
        for row in down.rows:
            row.x, row.label_x, row.rtl = down.width - row.x, down.width - row.label_x, True
        for entry in down.legend:
            entry.x, entry.rtl = down.width - entry.x, True
        down.axis_x, down.grid_right, down.rtl = down.width - down.axis_x, down.width - down.grid_right, True
    return timeline
