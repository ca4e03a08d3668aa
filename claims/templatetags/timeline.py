"""The timeline of a contradiction's claims, drawn on the server as SVG.

One lane per side; each claim is a marker at the date it was asserted, shaped
by side (circle: supports, square: disputes, diamond: qualifies) as well as
coloured, and labelled for assistive technology. A claim known only to the
month or year is drawn as a bar across that month or year with its marker in
the middle. Claims with no known date cannot be placed; they are listed under
the drawing instead. Colours come from classes in site.css (no style attributes:
the Content Security Policy forbids them).
"""

import calendar
import datetime
from dataclasses import dataclass

from django import template

from claims.models import Side
from sources.dates import DatePrecision

register = template.Library()

WIDTH = 800
LEFT = 128  # room for the lane labels
RIGHT = 24
AXIS_HEIGHT = 30
ROW_HEIGHT = 18
LANE_PADDING = 14
MIN_GAP = 16  # markers closer than this (in px) go on separate rows
MAX_TICKS = 8
SIDE_LABELS = {Side.SUPPORTS: "✓ Supports", Side.DISPUTES: "✗ Disputes", Side.QUALIFIES: "~ Qualifies"}


@dataclass
class Marker:
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
    def square_corner(self) -> tuple[float, float]:
        return self.x - 6.5, self.y - 6.5

    @property
    def diamond_points(self) -> str:
        return f"{self.x:.1f},{self.y - 8:.1f} {self.x + 8:.1f},{self.y:.1f} {self.x:.1f},{self.y + 8:.1f} {self.x - 8:.1f},{self.y:.1f}"


@dataclass
class Lane:
    side: Side
    label: str
    markers: list
    top: float = 0
    height: float = 0

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


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
            label = str(year) if month == 1 else f"{calendar.month_abbr[month]} {year}"
            ticks.append((tick, label))


def layout(stances) -> dict:
    """Place the dated claims of ``stances``; list the undated ones."""
    lanes = {side: Lane(side, SIDE_LABELS[side], []) for side in Side}
    undated = []
    for stance in stances:
        dates = asserted_range(stance.claim)
        if dates is None:
            undated.append(stance)
        else:
            lanes[Side(stance.side)].markers.append(Marker(stance, *dates))
    markers = [m for lane in lanes.values() for m in lane.markers]
    if not markers:
        return {"undated": undated, "lanes": []}

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
    return {
        "lanes": shown,
        "undated": undated,
        "width": WIDTH,
        "height": top + 4,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "axis_y": AXIS_HEIGHT,
        "ticks": [{"x": x_of(date), "label": label} for date, label in _ticks(first, last)],
        "first": first,
        "last": last,
    }


@register.inclusion_tag("claims/_timeline.html")
def claims_timeline(stances):
    return layout(stances)
