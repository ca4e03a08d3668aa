"""Parallel guesses get no more password checks than the same guesses made one after another.

Each attempt reserves its place in the counters before the password is
checked, so a burst of simultaneous requests cannot all pass the check that
only the first few should pass. On SQLite this runs against a real database
file with the project's settings (WAL, IMMEDIATE transactions) in a separate
process, since the in-memory test database cannot show it; on PostgreSQL
against the test database (both through tests/concurrency.py).
"""

import threading
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_login_failed
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase
from django.utils import timezone

from accounts.forms import ThrottledAuthenticationForm
from tests.concurrency import SERVER_DATABASES_ONLY, SQLITE_ONLY, all_at_once, in_a_sqlite_file

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

    def count_check(sender, credentials, **kwargs):
        with counting:
            checked[credentials["username"]] += 1

    user_login_failed.connect(count_check, dispatch_uid="count-password-checks")
    clock = mock.patch.object(timezone, "now", return_value=timezone.now())
    clock.start()
    try:
        for number in range(guesses):
            guess("sequential-victim", f"guess {number}", "192.0.2.1")
        errors = all_at_once(guesses, lambda number: guess("parallel-victim", f"guess {number}", "192.0.2.2"))
    finally:
        clock.stop()
        user_login_failed.disconnect(dispatch_uid="count-password-checks")
    return {"errors": errors, "sequential": checked["sequential-victim"], "parallel": checked["parallel-victim"]}


def assert_no_extra_checks(testcase, outcome: dict) -> None:
    testcase.assertEqual(outcome["errors"], [])
    testcase.assertEqual(outcome["sequential"], settings.LOGIN_THROTTLE_DELAY_AFTER)
    testcase.assertLessEqual(outcome["parallel"], outcome["sequential"])


@SQLITE_ONLY
class SqliteFileParallelGuessesTests(SimpleTestCase):
    def test_parallel_guesses_get_no_more_checks_than_sequential_ones(self):
        outcome = in_a_sqlite_file(
            self, "tests.security.test_login_throttle_concurrency.run_guesses", without=("LOGIN_THROTTLE_",)
        )
        assert_no_extra_checks(self, outcome)


@SERVER_DATABASES_ONLY
class ServerDatabaseParallelGuessesTests(TransactionTestCase):
    def test_parallel_guesses_get_no_more_checks_than_sequential_ones(self):
        assert_no_extra_checks(self, run_guesses())
