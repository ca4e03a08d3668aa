"""Concurrent writers: stale edits are refused, and many simultaneous writes lose nothing.

The threaded test runs against a real database file with the project's SQLite
settings (WAL, IMMEDIATE transactions, busy timeout) in a separate process,
since the in-memory test database cannot show file locking. When DATABASE_URL
points at PostgreSQL the same writers run against the test database instead.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.test import SimpleTestCase, TransactionTestCase

from claims.models import Actor, Proposition, ReviewState, StaleEdit, StateChange
from tests.base import BaseTestCase

BASE_DIR = Path(__file__).resolve().parent.parent
THREADS, WRITES = 8, 50


def run_writers(threads: int = THREADS, writes: int = WRITES) -> dict:
    """``threads`` threads each record and submit ``writes`` propositions and bump one shared counter.

    Returns what a test needs to check that nothing was lost: the errors raised
    (as text), and the counts found afterwards.
    """
    counter = Actor.objects.create(state="approved", name="Shared write counter")
    users = [User.objects.create_user(f"writer-{number}") for number in range(threads)]
    errors: list[str] = []
    start = threading.Barrier(threads)

    def write(number: int) -> None:
        try:
            start.wait()
            for index in range(writes):
                with transaction.atomic():
                    proposition = Proposition.objects.create(
                        statement=f"Writer {number} statement {index}", created_by=users[number]
                    )
                    Actor.objects.filter(pk=counter.pk).update(version=F("version") + 1)
                proposition.submit(users[number])
        except Exception as error:  # every failure is reported, none may be swallowed
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    workers = [threading.Thread(target=write, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()
    return {
        "errors": errors,
        "propositions": Proposition.objects.filter(statement__startswith="Writer ").count(),
        "pending": Proposition.objects.filter(statement__startswith="Writer ", state=ReviewState.PENDING).count(),
        "state_changes": StateChange.objects.filter(by__username__startswith="writer-").count(),
        "counter": Actor.objects.get(pk=counter.pk).version - 1,
    }


WRITERS_ON_A_SQLITE_FILE = """
import json, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
from tests.test_concurrency import run_writers
result = run_writers()
result["journal_mode"] = journal_mode
result["transaction_mode"] = connection.transaction_mode
print(json.dumps(result))
"""


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


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only")
class SqliteFileWritersTests(SimpleTestCase):
    def test_eight_writers_on_a_sqlite_file_lose_nothing(self):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
            environment.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SQLITE_PATH=f"{folder}/writers.sqlite3")
            result = subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", WRITERS_ON_A_SQLITE_FILE],
                cwd=BASE_DIR,
                env=environment,
                capture_output=True,
                text=True,
                timeout=600,
            )

        self.assertEqual(result.returncode, 0, result.stderr)
        outcome = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual((outcome["journal_mode"], outcome["transaction_mode"]), ("wal", "IMMEDIATE"))
        self.assertNotIn("database is locked", result.stderr)
        assert_nothing_lost(self, outcome)


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3", reason="server databases")
class ServerDatabaseWritersTests(TransactionTestCase):
    def test_eight_writers_lose_nothing(self):
        assert_nothing_lost(self, run_writers())
