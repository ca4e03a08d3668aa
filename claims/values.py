"""Typed answers to questions: reading what an analyst types, and deciding when two answers conflict.

A question asks for one value of one type. Each answer is read into an
interval, so that precision is part of the value:

- a **date** is the days it may fall on: "2022" is 1 January to 31 December
  2022, "2022-05" or "May 2022" the days of May, "2022-05-12" one day, and a
  range ("2022-05 to 2022-06") runs from the start of one to the end of the other;
- a **number** is the figures it allows: "30" exactly 30, "at least 30" 30 and
  more, "at most 30" up to 30, "30–40" or "between 30 and 40" both ends
  included; "about 30" is 30, with the question's tolerance (and that is what
  the tolerance is for: rounded figures);
- an **actor** is one actor; **yes/no** is one of the two.

Two answers **conflict** when they cannot both be true: their intervals do not
overlap (numbers after widening each end by the question's tolerance), they
name different actors, or one says yes and the other no. So "May 2022" and
"2022" agree (at different precision), "May 2022" and "June 2022" conflict.
Conflict is symmetric and no value conflicts with itself.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext, override

MAX_VALUE_LENGTH = 200
# Numbers as large as anyone reports (casualties, budgets), as exactly as they are written.
MAX_DIGITS = 20
DECIMAL_PLACES = 4
MAX_NUMBER = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES) - 1


class InvalidValue(ValueError):
    """A typed value that cannot be read; ``str()`` is a message for the analyst."""


# ---------------------------------------------------------------------------
# Dates

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
# "12 May 2022", "May 2022", "May 12, 2022", "12th May 2022"
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
# "2022-05 to 2022-06", "May – June 2022", "between May and June 2022", "2022-05/2022-06"
_RANGE = re.compile(r"^(?:between\s+)?(.+?)\s*(?:\s(?:to|and|until)\s|[–—]|\s-\s|/)\s*(.+)$")


class DatePrecision:
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class DateValue:
    low: datetime.date
    high: datetime.date
    precision: str

    def display(self) -> str:
        """The value for readers, in the active language: "23 December 2022", "May–June 2022"."""
        if self.precision == DatePrecision.RANGE:
            return _range_display(self.low, self.high)
        if self.precision == DatePrecision.YEAR:
            return f"{self.low.year}"
        return _day_or_month(self.low, with_day=self.precision != DatePrecision.MONTH)

    def canonical(self) -> str:
        """The machine form, read back by parse_date_value."""
        if self.precision == DatePrecision.RANGE:
            return f"{self.low.isoformat()} to {self.high.isoformat()}"
        if self.precision == DatePrecision.YEAR:
            return f"{self.low.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.low.year:04d}-{self.low.month:02d}"
        return self.low.isoformat()


def _month_name(month: int) -> str:
    # The English names are the catalogue's msgids (config/framework_messages.py).
    return gettext(calendar.month_name[month])


def _day_or_month(date: datetime.date, *, with_day: bool) -> str:
    if with_day:
        return gettext("%(day)s %(month)s %(year)s") % {
            "day": date.day,
            "month": _month_name(date.month),
            "year": date.year,
        }
    return gettext("%(month)s %(year)s") % {"month": _month_name(date.month), "year": date.year}


def _range_display(low: datetime.date, high: datetime.date) -> str:
    """A range at the precision both its ends were written in: years, months or days."""
    if (low.month, low.day, high.month, high.day) == (1, 1, 12, 31):
        return f"{low.year}–{high.year}"
    if low.day == 1 and high.day == calendar.monthrange(high.year, high.month)[1]:
        first = _month_name(low.month) if low.year == high.year else _day_or_month(low, with_day=False)
        last = _day_or_month(high, with_day=False)
    else:
        first, last = _day_or_month(low, with_day=True), _day_or_month(high, with_day=True)
    return gettext("%(first)s – %(last)s") % {"first": first, "last": last}


def parse_date_value(text: str) -> DateValue:
    """Read a date, month, year or range of them; raise InvalidValue with a message otherwise."""
    value = _clean(text)
    if not value:
        raise InvalidValue(
            gettext("Enter a date: YYYY-MM-DD, YYYY-MM, YYYY, “May 2022” or a range such as “May to June 2022”.")
        )
    single = _single_date(value)
    if single is not None:
        return single
    match = _RANGE.match(value)
    if match:
        first_text, last_text = match.group(1).strip(), match.group(2).strip()
        last = _single_date(last_text)
        first = _single_date(first_text)
        if first is None and last is not None and _MONTHS_ONLY.match(first_text):
            first = _single_date(f"{first_text} {last.low.year}")  # "May to June 2022"
        if first is None or last is None:
            raise InvalidValue(
                gettext("“%(text)s” is not a date range: write it as “2022-05 to 2022-06”.")
                % {"text": text.strip()[:80]}
            )
        if last.high < first.low:
            raise InvalidValue(gettext("The range “%(text)s” ends before it starts.") % {"text": text.strip()[:80]})
        if first == last:
            return first
        return DateValue(first.low, last.high, DatePrecision.RANGE)
    raise InvalidValue(
        gettext(
            "“%(text)s” is not a date: write YYYY-MM-DD, YYYY-MM, YYYY or “12 May 2022”, "
            "or a range such as “2022-05 to 2022-06”."
        )
        % {"text": text.strip()[:80]}
    )


_MONTHS_ONLY = re.compile(r"^[a-z]+\.?$")


def _single_date(value: str) -> DateValue | None:
    """One day, month or year; None when ``value`` is not written as one; InvalidValue when it is but does not exist."""
    if match := _ISO.match(value):
        year, month, day = (int(part) if part else None for part in match.groups())
    elif match := _DAY_MONTH_YEAR.match(value):
        day, month, year = int(match.group(1)), _month(match.group(2)), int(match.group(3))
    elif match := _MONTH_DAY_YEAR.match(value):
        month, day, year = _month(match.group(1)), int(match.group(2)), int(match.group(3))
    elif match := _MONTH_YEAR.match(value):
        month, day, year = _month(match.group(1)), None, int(match.group(2))
    else:
        return None
    if month is None and match.re is not _ISO:
        return None
    if not 1 <= year <= 9999:
        raise InvalidValue(gettext("%(year)s is not a year this tracker can hold.") % {"year": year})
    if month is None:
        return DateValue(datetime.date(year, 1, 1), datetime.date(year, 12, 31), DatePrecision.YEAR)
    if not 1 <= month <= 12:
        raise InvalidValue(gettext("There is no month %(month)s.") % {"month": month})
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return DateValue(datetime.date(year, month, 1), datetime.date(year, month, last), DatePrecision.MONTH)
    if not 1 <= day <= last:
        raise InvalidValue(
            gettext("%(month)s %(year)s has no day %(day)s.") % {"month": MONTH_NAMES[month], "year": year, "day": day}
        )
    day_date = datetime.date(year, month, day)
    return DateValue(day_date, day_date, DatePrecision.DAY)


def _month(name: str) -> int | None:
    return MONTHS.get(name.rstrip(".").lower())


# ---------------------------------------------------------------------------
# Numbers

_NUMBER = r"(\d[\d,]*(?:\.\d+)?|\.\d+)\s*(million|thousand|billion|hundred)?"
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_AT_LEAST = ("at least", "more than", "over", "no fewer than", "no less than", "upwards of", "≥", ">=", ">")
_AT_MOST = ("at most", "fewer than", "less than", "up to", "no more than", "under", "≤", "<=", "<")
_ABOUT = ("about", "around", "approximately", "roughly", "some", "nearly", "almost", "~", "c.", "ca.")
_QUANTITY = re.compile(
    rf"^(?:between\s+)?{_NUMBER}(?:\s*(?:[-–—]|to|and)\s*{_NUMBER})?\s*(?P<unit>[^\d].*)?$", re.IGNORECASE
)


@dataclass(frozen=True)
class QuantityValue:
    low: Decimal | None  # None: no lower bound ("at most")
    high: Decimal | None  # None: no upper bound ("at least")
    approximate: bool = False

    def display(self, unit: str = "") -> str:
        """The value for readers, in the active language: "at least 30 killed"."""
        suffix = f" {unit}" if unit else ""
        if self.low is None:
            return gettext("at most %(number)s") % {"number": _number(self.high)} + suffix
        if self.high is None:
            return gettext("at least %(number)s") % {"number": _number(self.low)} + suffix
        if self.low == self.high:
            if self.approximate:
                return gettext("about %(number)s") % {"number": _number(self.low)} + suffix
            return f"{_number(self.low)}{suffix}"
        return f"{_number(self.low)}–{_number(self.high)}{suffix}"

    def canonical(self) -> str:
        """The machine form, read back by parse_quantity_value: in English whatever the reader's language."""
        with override("en"):
            return self.display()


def _number(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_quantity_value(text: str, *, unit: str = "") -> QuantityValue:
    """Read "30", "at least 30", "about 1,200", "30–40 people", "1.5 million"; a unit, if written, must be ``unit``."""
    value = _clean(text)
    if not value:
        raise InvalidValue(gettext("Enter a number, such as “30”, “at least 30” or “30–40”."))
    low_bound = high_bound = approximate = False
    for prefixes, flag in ((_AT_LEAST, "low"), (_AT_MOST, "high"), (_ABOUT, "about")):
        for prefix in prefixes:
            if value.startswith(prefix) and (not prefix[-1].isalpha() or value[len(prefix) : len(prefix) + 1] == " "):
                value = value[len(prefix) :].strip()
                low_bound, high_bound, approximate = flag == "low", flag == "high", flag == "about"
                break
        if low_bound or high_bound or approximate:
            break
    match = _QUANTITY.match(value)
    if not match:
        raise InvalidValue(
            gettext("“%(text)s” is not a number: write it as “30”, “at least 30” or “30–40”.")
            % {"text": text.strip()[:80]}
        )
    first = _decimal(match.group(1), match.group(2))
    second = _decimal(match.group(3), match.group(4)) if match.group(3) else None
    if match.group(2) is None and second is not None and match.group(4):
        first *= _SCALES[match.group(4).lower()]  # "1.5–2 million": the scale applies to both
    _check_unit(match.group("unit"), unit, text)
    if second is not None:
        if low_bound or high_bound:
            raise InvalidValue(gettext("Write a range (“30–40”) or a bound (“at least 30”), not both."))
        if second < first:
            raise InvalidValue(gettext("The range “%(text)s” ends before it starts.") % {"text": text.strip()[:80]})
        return QuantityValue(first, second, approximate)
    if low_bound:
        return QuantityValue(first, None)
    if high_bound:
        return QuantityValue(None, first)
    return QuantityValue(first, first, approximate)


def _decimal(digits: str, scale: str | None) -> Decimal:
    try:
        number = Decimal(digits.replace(",", ""))
    except InvalidOperation:
        raise InvalidValue(gettext("“%(digits)s” is not a number.") % {"digits": digits}) from None
    if scale:
        number *= _SCALES[scale.lower()]
    if number > MAX_NUMBER:
        raise InvalidValue(gettext("%(digits)s is larger than this tracker can hold.") % {"digits": digits})
    return number.quantize(Decimal(1).scaleb(-DECIMAL_PLACES)).normalize()


def _unit_key(unit: str) -> str:
    words = re.sub(r"[^\w\s]", " ", unit.lower()).split()
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def _check_unit(written: str | None, unit: str, text: str) -> None:
    if not written or not written.strip():
        return
    if not unit:
        raise InvalidValue(
            gettext("This question counts plain numbers: remove “%(unit)s”.") % {"unit": written.strip()[:40]}
        )
    if _unit_key(written) != _unit_key(unit):
        raise InvalidValue(
            gettext("This question counts %(unit)s, not “%(written)s”: give the number in %(unit)s.")
            % {"unit": unit, "written": written.strip()[:40]}
        )


# ---------------------------------------------------------------------------
# Yes or no

_YES = {"yes", "y", "true", "confirmed", "affirmed"}
_NO = {"no", "n", "false", "denied"}


def parse_yes_no_value(text: str) -> bool:
    value = _clean(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidValue(gettext("Answer “yes” or “no”."))


# ---------------------------------------------------------------------------
# Conflicts


def dates_conflict(a: DateValue, b: DateValue) -> bool:
    return a.high < b.low or b.high < a.low


def quantities_conflict(a: QuantityValue, b: QuantityValue, *, tolerance_percent: int = 0) -> bool:
    """No figure fits both, after widening each by ``tolerance_percent`` of itself."""
    a_low, a_high = _widened(a, tolerance_percent)
    b_low, b_high = _widened(b, tolerance_percent)
    return (a_high is not None and b_low is not None and a_high < b_low) or (
        b_high is not None and a_low is not None and b_high < a_low
    )


def _widened(value: QuantityValue, tolerance_percent: int) -> tuple[Decimal | None, Decimal | None]:
    share = Decimal(tolerance_percent) / 100
    low = None if value.low is None else value.low - abs(value.low) * share
    high = None if value.high is None else value.high + abs(value.high) * share
    return low, high


def _clean(text: str) -> str:
    return " ".join(str(text or "")[: MAX_VALUE_LENGTH * 2].split()).strip().lower()
