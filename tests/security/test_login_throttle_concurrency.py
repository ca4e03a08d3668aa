"""Parallel guesses get no more password checks than the same guesses made one after another.

Each attempt reserves its place in the counters before the password is
checked, so a burst of simultaneous requests cannot all pass the check that
only the first few should pass. On SQLite this runs against a real database
file with the project's settings (WAL, IMMEDIATE transactions) in a separate
process, as tests/test_concurrency.py does, since the in-memory test database
cannot show it; on PostgreSQL against the test database.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.db import close_old_connections, connection
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase
from django.utils import timezone

from accounts.forms import ThrottledAuthenticationForm

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GUESSES = 30


def guess(username: str, password: str, address: str) -> None:
    """One login attempt through the site's form."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    ThrottledAuthenticationForm(request, data={"username": username, "password": password}).is_valid()


def run_guesses(guesses: int = GUESSES) -> dict:
    """``guesses`` wrong passwords for one account, first one after another, then all at once.

    Each run has its own account and address. The clock stands still, so that
    no pause runs out however slowly the passwords are checked: one after
    another, exactly the free attempts are checked. Returns how many passwords
    were actually checked in each run, and any error raised.
    """
    User.objects.create_user("sequential-victim", password="the right one")
    User.objects.create_user("parallel-victim", password="the right one")
    checked: dict[str, int] = {"sequential-victim": 0, "parallel-victim": 0}
    counting = threading.Lock()
    errors: list[str] = []

    def count_check(sender, credentials, **kwargs):
        with counting:
            checked[credentials["username"]] += 1

    user_login_failed.connect(count_check, dispatch_uid="count-password-checks")
    clock = mock.patch.object(timezone, "now", return_value=timezone.now())
    clock.start()
    try:
        for number in range(guesses):
            guess("sequential-victim", f"guess {number}", "192.0.2.1")

        start = threading.Barrier(guesses)

        def attempt(number: int) -> None:
            try:
                start.wait()
                guess("parallel-victim", f"guess {number}", "192.0.2.2")
            except Exception as error:  # every failure is reported, none may be swallowed
                errors.append(f"{type(error).__name__}: {error}")
            finally:
                connection.close()

        workers = [threading.Thread(target=attempt, args=(number,)) for number in range(guesses)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        clock.stop()
        user_login_failed.disconnect(dispatch_uid="count-password-checks")
        close_old_connections()
    return {"errors": errors, "sequential": checked["sequential-victim"], "parallel": checked["parallel-victim"]}


GUESSES_ON_A_SQLITE_FILE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.security.test_login_throttle_concurrency import run_guesses
print(json.dumps(run_guesses()))
"""


def assert_no_extra_checks(testcase, outcome: dict) -> None:
    testcase.assertEqual(outcome["errors"], [])
    testcase.assertEqual(outcome["sequential"], settings.LOGIN_THROTTLE_DELAY_AFTER)
    testcase.assertLessEqual(outcome["parallel"], outcome["sequential"])


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only")
class SqliteFileParallelGuessesTests(SimpleTestCase):
    def test_parallel_guesses_get_no_more_checks_than_sequential_ones(self):
        with tempfile.TemporaryDirectory() as folder:
            environment = {
                key: value
                for key, value in os.environ.items()
                if key != "DATABASE_URL" and not key.startswith("LOGIN_THROTTLE_")
            }
            environment.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SQLITE_PATH=f"{folder}/guesses.sqlite3")
            result = subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", GUESSES_ON_A_SQLITE_FILE],
                cwd=BASE_DIR,
                env=environment,
                capture_output=True,
                text=True,
                timeout=600,
            )

        self.assertEqual(result.returncode, 0, result.stderr)
        assert_no_extra_checks(self, json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3", reason="server databases")
class ServerDatabaseParallelGuessesTests(TransactionTestCase):
    def test_parallel_guesses_get_no_more_checks_than_sequential_ones(self):
        assert_no_extra_checks(self, run_guesses())
