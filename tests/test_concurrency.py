"""Concurrent writers: stale edits are refused, and many simultaneous writes lose nothing.

The threaded test runs on a SQLite file in a separate process, or on the server
database of DATABASE_URL (tests/concurrency.py).
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.test import SimpleTestCase, TransactionTestCase

from claims.models import Actor, Proposition, ReviewState, StaleEdit, StateChange
from tests.base import BaseTestCase
from tests.concurrency import SERVER_DATABASES_ONLY, SQLITE_ONLY, all_at_once, in_a_sqlite_file

THREADS, WRITES = 8, 50


def run_writers(threads: int = THREADS, writes: int = WRITES) -> dict:
    """``threads`` threads each record and submit ``writes`` propositions and bump one shared counter.

    Returns what a test needs to check that nothing was lost: the errors raised
    (as text), and the counts found afterwards.
    """
    counter = Actor.objects.create(state="approved", name="Shared write counter")
    users = [User.objects.create_user(f"writer-{number}") for number in range(threads)]

    def write(number: int) -> None:
        for index in range(writes):
            with transaction.atomic():
                proposition = Proposition.objects.create(
                    statement=f"Writer {number} statement {index}", created_by=users[number]
                )
                Actor.objects.filter(pk=counter.pk).update(version=F("version") + 1)
            proposition.submit(users[number])

    errors = all_at_once(threads, write)
    return {
        "errors": errors,
        "propositions": Proposition.objects.filter(statement__startswith="Writer ").count(),
        "pending": Proposition.objects.filter(statement__startswith="Writer ", state=ReviewState.PENDING).count(),
        "state_changes": StateChange.objects.filter(by__username__startswith="writer-").count(),
        "counter": Actor.objects.get(pk=counter.pk).version - 1,
    }


def assert_nothing_lost(testcase, result: dict) -> None:
    total = THREADS * WRITES
    testcase.assertEqual(result["errors"], [])
    testcase.assertEqual(result["propositions"], total)
    testcase.assertEqual(result["pending"], total)
    testcase.assertEqual(result["state_changes"], total)
    testcase.assertEqual(result["counter"], total)


class StaleEditTests(BaseTestCase):
    """Two people editing one draft (the same author in two tabs) never overwrite each other unseen."""

    def setUp(self):
        self.actor = Actor.objects.create(name="Kabul spokesman", created_by=self.analyst)

    def test_an_edit_loaded_before_someone_elses_save_is_refused(self):
        mine, theirs = Actor.objects.get(pk=self.actor.pk), Actor.objects.get(pk=self.actor.pk)
        theirs.description = "Their change."
        theirs.save_edit(expected_version=1, fields=["description"])
        mine.description = "My change."

        with self.assertRaises(StaleEdit) as refused:
            mine.save_edit(expected_version=1, fields=["description"])

        self.assertEqual(refused.exception.current.description, "Their change.")
        self.assertEqual(refused.exception.current.version, 2)

    def test_a_refused_edit_changes_nothing(self):
        mine, theirs = Actor.objects.get(pk=self.actor.pk), Actor.objects.get(pk=self.actor.pk)
        theirs.description = "Their change."
        theirs.save_edit(expected_version=1, fields=["description"])
        mine.description = "My change."

        with self.assertRaises(StaleEdit):
            mine.save_edit(expected_version=1, fields=["description"])

        self.actor.refresh_from_db()
        self.assertEqual((self.actor.description, self.actor.version), ("Their change.", 2))

    def test_the_refusal_says_who_changed_what(self):
        theirs = Actor.objects.get(pk=self.actor.pk)
        theirs.save_edit(expected_version=1, fields=["aliases"])

        with self.assertRaisesMessage(StaleEdit, "Kabul spokesman was changed by someone else (now version 2)."):
            self.actor.save_edit(expected_version=1, fields=["aliases"])

    def test_an_edit_of_the_current_version_is_saved(self):
        self.actor.description = "Updated."
        self.actor.save_edit(expected_version=1, fields=["description"])

        self.actor.refresh_from_db()
        self.assertEqual((self.actor.description, self.actor.version), ("Updated.", 2))

    def test_a_review_action_makes_an_open_edit_stale(self):
        proposition = Proposition.objects.create(statement="A contested statement.", created_by=self.analyst)
        loaded = Proposition.objects.get(pk=proposition.pk)
        proposition.submit(self.analyst)
        loaded.statement = "Edited after it was submitted."

        with self.assertRaises(StaleEdit):
            loaded.save_edit(expected_version=1, fields=["statement"])


@SQLITE_ONLY
class SqliteFileWritersTests(SimpleTestCase):
    def test_eight_writers_on_a_sqlite_file_lose_nothing(self):
        outcome = in_a_sqlite_file(self, "tests.test_concurrency.run_writers")
        self.assertEqual((outcome["journal_mode"], outcome["transaction_mode"]), ("wal", "IMMEDIATE"))
        assert_nothing_lost(self, outcome)


@SERVER_DATABASES_ONLY
class ServerDatabaseWritersTests(TransactionTestCase):
    def test_eight_writers_lose_nothing(self):
        assert_nothing_lost(self, run_writers())
