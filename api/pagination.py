"""Cursor pagination: each page ends with an opaque cursor that says where the next one starts.

Lists are in a fixed order ending with the primary key (newest first), and a
cursor holds the sort values of the last item shown, signed so that only this
list's cursors are accepted. The next page is the items after those values,
found by an index range rather than an offset: items added or removed before
the cursor neither repeat nor skip an item on the following pages.
"""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, Q

from api.problems import InvalidRequest


@dataclass(frozen=True)
class Order:
    """Newest first: by ``field`` (a timestamp; records without one last), then by primary key; or by key alone."""

    name: str
    field: str | None = None

    def order_by(self) -> list:
        if self.field is None:
            return ["-pk"]
        return [F(self.field).desc(nulls_last=True), "-pk"]

    def values_of(self, record) -> list:
        if self.field is None:
            return [record.pk]
        moment = getattr(record, self.field)
        return [moment.isoformat() if moment else None, record.pk]

    def after(self, values: list) -> Q:
        """The records that come after the one with these sort values."""
        if self.field is None:
            (pk,) = values
            return Q(pk__lt=pk)
        moment, pk = values
        if moment is None:
            return Q(**{f"{self.field}__isnull": True, "pk__lt": pk})
        moment = datetime.datetime.fromisoformat(moment)
        return (
            Q(**{f"{self.field}__lt": moment})
            | Q(**{self.field: moment, "pk__lt": pk})
            | Q(**{f"{self.field}__isnull": True})
        )

    @property
    def salt(self) -> str:
        return f"api.cursor.{self.name}"

    def cursor(self, record) -> str:
        return signing.dumps(self.values_of(record), salt=self.salt)

    def read_cursor(self, cursor: str) -> list:
        """The sort values a cursor of this list holds; raises InvalidRequest for anything else."""
        try:
            values = signing.loads(cursor, salt=self.salt)
        except signing.BadSignature:
            values = None
        if not isinstance(values, list) or len(values) != (1 if self.field is None else 2):
            raise InvalidRequest(
                [("query", "cursor", "This cursor is not one this list gave: start again without a cursor.")]
            )
        return values


def paginate(queryset, order: Order, *, cursor: str | None, size: int) -> tuple[list, str | None]:
    """One page of ``queryset`` in ``order`` after ``cursor``, and the cursor of the next page (None on the last)."""
    queryset = queryset.order_by(*order.order_by())
    if cursor:
        queryset = queryset.filter(order.after(order.read_cursor(cursor)))
    records = list(queryset[: size + 1])
    if len(records) <= size:
        return records, None
    records = records[:size]
    return records, order.cursor(records[-1])
