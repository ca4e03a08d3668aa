"""Dates that may be known only to the month or year, or not at all.

Stored as a date plus a precision: a month-precise date is stored as the first
of that month, a year-precise one as 1 January, an unknown one as NULL.
"""

import datetime
import re

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    UNKNOWN = "unknown", _("Unknown")


def parse_partial_date(value: str) -> tuple[datetime.date | None, str]:
    """Read "", "YYYY", "YYYY-MM" or "YYYY-MM-DD" into (date, precision).

    Raises ValueError with a readable message for anything else, including
    impossible dates such as 2022-02-30.
    """
    value = (value or "").strip()
    if not value:
        return None, DatePrecision.UNKNOWN
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(
            gettext("“%(value)s” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, or leave it empty if unknown.")
            % {"value": value}
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date = datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(gettext("“%(value)s” is not a real date.") % {"value": value}) from None
    if day is not None:
        return date, DatePrecision.DAY
    if month is not None:
        return date, DatePrecision.MONTH
    return date, DatePrecision.YEAR


def format_partial_date(date: datetime.date | None, precision: str) -> str:
    """Human form in the active language: "23 December 2022", "December 2022", "2022" or "date unknown"."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return gettext("date unknown")
    if precision == DatePrecision.YEAR:
        return str(date.year)
    month = gettext(_MONTHS[date.month - 1])  # the month names are in the catalogue (config/framework_messages.py)
    if precision == DatePrecision.MONTH:
        return gettext("%(month)s %(year)s") % {"month": month, "year": date.year}
    return gettext("%(day)s %(month)s %(year)s") % {"day": date.day, "month": month, "year": date.year}


def iso_partial_date(date: datetime.date | None, precision: str) -> str:
    """Machine form, the inverse of parse_partial_date: "", "2022", "2022-12" or "2022-12-23"."""
    if date is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def precision_constraint_q(date_field: str, precision_field: str) -> models.Q:
    """Unknown precision if and only if there is no date."""
    return models.Q(**{f"{date_field}__isnull": True, precision_field: DatePrecision.UNKNOWN}) | models.Q(
        models.Q(**{f"{date_field}__isnull": False}) & ~models.Q(**{precision_field: DatePrecision.UNKNOWN})
    )
