"""Two reviewers approving the two sides of a change at the same moment: the change is found all the same.

Each approval refreshes the changes of its proposition inside its own
transaction. Without taking turns, each would read the database without the
other's uncommitted approval, and the change between them would be lost.
SQLite runs one writer at a time (IMMEDIATE transactions), so only PostgreSQL
can show the race.
"""

import datetime
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

from claims.models import Actor, Proposition, Stance
from claims.roles import ANALYSTS, REVIEWERS
from reader.models import PositionChange
from sources.dates import DatePrecision
from tests.base import approve, make_claim, make_source, make_user
from tests.concurrency import all_at_once

ROUNDS = 5


@skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class ConcurrentApprovalsTest(TransactionTestCase):
    def setUp(self):
        self.analyst = make_user("alice", ANALYSTS, is_staff=True)
        self.reviewers = [make_user(f"reviewer-{n}", REVIEWERS, is_staff=True) for n in range(2)]
        self.speaker = Actor.objects.create(state="approved", name="Ministry of Examples")

    def pending_stances(self, round_number: int) -> tuple[Proposition, list[Stance]]:
        """Two approved claims of the speaker, years apart, each with a stance waiting for review on opposite sides."""
        proposition = approve(
            Proposition.objects.create(statement=f"Point {round_number} holds.", created_by=self.analyst),
            self.reviewers[0],
        )
        stances = []
        for quote, side, year in (("It holds", "supports", 2020), ("It does not hold", "disputes", 2022)):
            source = make_source(
                text=f"Round {round_number}, {side}: {quote}, they said.", title=f"{round_number} {side}"
            )
            claim = approve(
                make_claim(
                    source,
                    quote,
                    self.speaker,
                    self.analyst,
                    asserted_on=datetime.date(year, 1, 1),
                    asserted_precision=DatePrecision.YEAR,
                ),
                self.reviewers[0],
            )
            stance = Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=self.analyst)
            stance.submit(self.analyst)
            stances.append(stance)
        return proposition, stances

    def approve_at_once(self, stances: list[Stance]) -> list[str]:
        """Each stance approved by its own reviewer in its own thread, both starting together; the errors raised."""
        loaded = [Stance.objects.get(pk=stance.pk) for stance in stances]
        return all_at_once(len(loaded), lambda number: loaded[number].approve(self.reviewers[number]))

    def test_two_approvals_at_once_on_opposite_sides_find_the_change(self):
        for round_number in range(ROUNDS):
            proposition, stances = self.pending_stances(round_number)

            self.assertEqual(self.approve_at_once(stances), [])

            self.assertEqual(
                list(PositionChange.objects.filter(proposition=proposition).values_list("earlier", "later")),
                [(stances[0].pk, stances[1].pk)],
                f"round {round_number}",
            )
