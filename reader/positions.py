"""Actors who change position: the rule, and the table of changes that /changes/ and the feed read.

An actor changes position on a proposition when their approved claims take one
side of it and a later one the other: supports, later disputes; or disputes
(denies), later supports (concedes). A claim counts for its claimant only:
reported speech counts for whoever said it, never for whoever reported it.

The rule (``read_position``), for one actor's public stances on one proposition:

- Qualifies is not a side. A qualifying stance neither starts nor ends a
  change: supports, then qualifies, then disputes is one change, from the
  supporting quote to the disputing one.
- A claim with no known asserted date is never part of a change. Claims are
  dated by when they were asserted, as on the timeline (reader.timeline); a
  source's publication date is not used in its place.
- The dated stances are put in order by the first day their date allows, then
  the last (a claim dated "2022" may be any day of that year), then by source
  and place in it.
- A change is counted where the side switches between two neighbours in that
  order (the last stance on the old side and the first on the new), and only
  if the earlier certainly came first: its day, month or year ends before the
  later one's begins. "2022" against "March 2022", or two claims of the same
  day, cannot be ordered, and are not a change.
- A source in which the actor takes both sides is shown as "both sides in one
  source" instead, never as a change: its stances are left out of the order.

The actor page and its JSON apply the rule to the actor's stances as they read
them. The list of recent changes and the feed read ``PositionChange``, kept
here: every save or deletion that can add, remove or move a public stance
refreshes the changes of the propositions (and actors) it touches, in the same
transaction (``connect_position_tracking``). Records written without save()
(a generated corpus) end with ``rebuild_position_changes()``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from claims.models import Claim, Proposition, ReviewState, Side, Stance
from reader.models import PositionChange
from reader.timeline import asserted_range

SIDES = (Side.SUPPORTS, Side.DISPUTES)
_UNDATED = (datetime.date.max, datetime.date.max)


@dataclass(frozen=True)
class Statement:
    """One of an actor's public stances on a proposition, with what the rule reads of its claim."""

    stance_id: int
    claim_id: int
    side: str
    source_id: int
    asserted_on: datetime.date | None
    asserted_precision: str
    offset: int  # where the quote starts in its source

    @cached_property
    def period(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day the claim may have been asserted on; None when that is unknown."""
        return asserted_range(self)


def statement_order(statement: Statement) -> tuple:
    """Dated statements by the first day their date allows, then the last; undated ones after them."""
    period = statement.period
    return (period is None, period or _UNDATED, statement.source_id, statement.offset, statement.stance_id)


@dataclass(frozen=True)
class Change:
    """The last statement on one side and the first on the other, which certainly came later."""

    earlier: Statement
    later: Statement


@dataclass(frozen=True)
class BothSides:
    """A source in which the actor takes both sides: the first statement on each, in text order."""

    source_id: int
    first: Statement
    second: Statement


@dataclass(frozen=True)
class Reading:
    changes: tuple[Change, ...] = ()
    both_sides: tuple[BothSides, ...] = ()


def read_position(statements: Iterable[Statement]) -> Reading:
    """The changes of side, and the sources with both sides, among one actor's statements on one proposition."""
    sided = sorted((s for s in statements if s.side in SIDES), key=lambda s: (s.offset, s.stance_id))
    first_per_source: dict[int, dict[str, Statement]] = defaultdict(dict)
    for statement in sided:
        first_per_source[statement.source_id].setdefault(statement.side, statement)
    both_sides = sorted(
        (
            BothSides(source_id, *sorted(firsts.values(), key=lambda s: (s.offset, s.stance_id)))
            for source_id, firsts in first_per_source.items()
            if len(firsts) == len(SIDES)
        ),
        key=lambda both: statement_order(both.first),
    )
    two_sided = {both.source_id for both in both_sides}
    dated = sorted((s for s in sided if s.period and s.source_id not in two_sided), key=statement_order)
    changes = tuple(
        Change(earlier, later)
        for earlier, later in pairwise(dated)
        if earlier.side != later.side and earlier.period[1] < later.period[0]
    )
    return Reading(changes, tuple(both_sides))


# ---------------------------------------------------------------------------
# The table of changes

# What a public stance contributes, read as values: a Statement's fields, then the actor and the proposition.
STATEMENT_FIELDS = (
    "pk",
    "claim_id",
    "side",
    "claim__source_id",
    "claim__asserted_on",
    "claim__asserted_precision",
    "claim__start",
    "claim__claimant_id",
    "proposition_id",
)


def found_changes(rows: Iterable[tuple]) -> dict[tuple[int, int], tuple[int, int, datetime.date]]:
    """(earlier stance, later stance) → (actor, proposition, date of the change), from rows of STATEMENT_FIELDS."""
    grouped: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[7], row[8]].append(row)
    found = {}
    for (actor_id, proposition_id), group in grouped.items():
        if len({row[2] for row in group}) < len(SIDES):
            continue  # one side only (most actors, on most propositions): no change to look for
        for change in read_position(Statement(*row[:7]) for row in group).changes:
            found[change.earlier.stance_id, change.later.stance_id] = (
                actor_id,
                proposition_id,
                change.later.period[0],
            )
    return found


def _public_statement_rows(stances):
    return stances.filter(side__in=SIDES).order_by().values_list(*STATEMENT_FIELDS)


def _write(found: dict, kept) -> None:
    """Make the changes in ``kept`` (a queryset) exactly ``found``; a change already kept keeps when it was found."""
    current = {
        (earlier, later): (pk, (actor, proposition, changed_on))
        for pk, earlier, later, actor, proposition, changed_on in kept.order_by().values_list(
            "pk", "earlier_id", "later_id", "actor_id", "proposition_id", "changed_on"
        )
    }
    gone = [pk for pair, (pk, _) in current.items() if pair not in found]
    if gone:
        PositionChange.objects.filter(pk__in=gone).delete()
    now = timezone.now()
    new = []
    for (earlier, later), (actor, proposition, changed_on) in found.items():
        if (earlier, later) not in current:
            new.append(
                PositionChange(
                    actor_id=actor,
                    proposition_id=proposition,
                    earlier_id=earlier,
                    later_id=later,
                    changed_on=changed_on,
                    found_at=now,
                )
            )
        elif current[earlier, later][1] != (actor, proposition, changed_on):
            PositionChange.objects.filter(pk=current[earlier, later][0]).update(
                actor_id=actor, proposition_id=proposition, changed_on=changed_on
            )
    PositionChange.objects.bulk_create(new, batch_size=500)


def refresh_position_changes(propositions: Iterable[int], actors: Iterable[int] | None = None) -> None:
    """Bring the changes on ``propositions`` (of ``actors`` only, if given) up to date with the public stances.

    Called inside the transaction that changed them. Concurrent refreshes of one
    proposition take turns (its row is locked, where the database can), so the
    second reads what the first wrote.
    """
    propositions = sorted(set(propositions))
    if not propositions:
        return
    with transaction.atomic():
        if connection.features.has_select_for_update:
            list(Proposition.objects.select_for_update().filter(pk__in=propositions).order_by("pk").values("pk"))
        stances = Stance.objects.public().filter(proposition__in=propositions)
        kept = PositionChange.objects.filter(proposition__in=propositions)
        if actors is not None:
            actors = set(actors)
            stances, kept = stances.filter(claim__claimant__in=actors), kept.filter(actor__in=actors)
        _write(found_changes(_public_statement_rows(stances)), kept)


def rebuild_position_changes() -> None:
    """Bring every change up to date: after records were written without save() or its signals."""
    with transaction.atomic():
        _write(found_changes(_public_statement_rows(Stance.objects.public())), PositionChange.objects.all())


# ---------------------------------------------------------------------------
# Keeping the table up to date

# Fields whose change in an approved record can add, remove or move one of its public stances.
_CLAIM_FIELDS = {"state", "claimant", "asserted_on", "asserted_precision"}
_STANCE_FIELDS = {"state", "side", "claim", "proposition"}
_PROPOSITION_FIELDS = {"state"}


def _may_change_public_stances(instance, created: bool, update_fields, fields: set[str]) -> bool:
    if created:
        return instance.state == ReviewState.APPROVED
    if update_fields is None:
        return True  # a whole record written outside the review methods: rare, so always looked at
    written = set(update_fields)
    if "state" in written:
        # An approval adds; a return to draft (perhaps from approved) takes away. Submitting,
        # rejecting and removing move between states readers never see.
        return instance.state in (ReviewState.APPROVED, ReviewState.DRAFT)
    return instance.state == ReviewState.APPROVED and bool(written & fields)


def _refresh_for_stance(stance: Stance) -> None:
    claimant = Claim.objects.filter(pk=stance.claim_id).values_list("claimant_id", flat=True).first()
    if claimant is not None:
        refresh_position_changes([stance.proposition_id], [claimant])


def _stance_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if not raw and _may_change_public_stances(instance, created, update_fields, _STANCE_FIELDS):
        _refresh_for_stance(instance)


def _stance_deleted(sender, instance, **kwargs):
    if instance.state == ReviewState.APPROVED:
        _refresh_for_stance(instance)


def _claim_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw or not _may_change_public_stances(instance, created, update_fields, _CLAIM_FIELDS):
        return
    on = Stance.objects.filter(claim=instance, state=ReviewState.APPROVED).values_list("proposition_id", flat=True)
    # A revision may give the claim another claimant: then the one it had loses a stance too.
    claimant_may_differ = not created and (update_fields is None or "claimant" in update_fields)
    refresh_position_changes(set(on), None if claimant_may_differ else [instance.claimant_id])


def _proposition_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if not raw and not created and _may_change_public_stances(instance, created, update_fields, _PROPOSITION_FIELDS):
        refresh_position_changes([instance.pk])


def connect_position_tracking() -> None:
    """Refresh the changes of position whenever a claim, stance or proposition changes (from ReaderConfig.ready)."""
    post_save.connect(_claim_saved, sender=Claim, dispatch_uid="positions-claim-saved")
    post_save.connect(_stance_saved, sender=Stance, dispatch_uid="positions-stance-saved")
    post_delete.connect(_stance_deleted, sender=Stance, dispatch_uid="positions-stance-deleted")
    post_save.connect(_proposition_saved, sender=Proposition, dispatch_uid="positions-proposition-saved")
