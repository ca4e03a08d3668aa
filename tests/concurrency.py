"""Running the same work in many threads at once, on a database that can show what that does.

The tests' in-memory SQLite database cannot show file locking, so on SQLite
``in_a_sqlite_file`` runs a function in a separate process against a real
database file with the project's settings (WAL, IMMEDIATE transactions, busy
timeout); on a server database (DATABASE_URL pointing at PostgreSQL) a
TransactionTestCase calls the same function against the test database. The
function starts its threads with ``all_at_once``. Mark each kind of test with
``SQLITE_ONLY`` or ``SERVER_DATABASES_ONLY``.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import close_old_connections, connection

BASE_DIR = Path(__file__).resolve().parent.parent
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
SQLITE_ONLY = pytest.mark.skipif(not ON_SQLITE, reason="SQLite only")
SERVER_DATABASES_ONLY = pytest.mark.skipif(ON_SQLITE, reason="server databases")


def all_at_once(threads: int, work: Callable[[int], None]) -> list[str]:
    """``work(number)`` for each number below ``threads``, each in its own thread, all starting together.

    Returns every error raised, as text: none is swallowed. Each thread closes
    its own database connection when it is done.
    """
    errors: list[str] = []
    start = threading.Barrier(threads)

    def run(number: int) -> None:
        try:
            start.wait()
            work(number)
        except Exception as error:  # every failure is reported, none may be swallowed
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    close_old_connections()
    return errors


ON_A_SQLITE_FILE = """
import importlib, json, sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
module, name = sys.argv[1].rsplit(".", 1)
result = getattr(importlib.import_module(module), name)()
result["journal_mode"] = journal_mode
result["transaction_mode"] = connection.transaction_mode
print(json.dumps(result))
"""


def in_a_sqlite_file(testcase, function: str, *, without: tuple[str, ...] = ()) -> dict:
    """What ``function`` (a dotted path; it takes no arguments and returns a dict) returns, run on a SQLite file.

    The function runs in a new process, on a freshly migrated database file
    with the project's settings; ``journal_mode`` and ``transaction_mode`` are
    added to what it returns. The process gets this one's environment less
    DATABASE_URL and any variable that starts with one of ``without``. The
    process must succeed without a "database is locked" error anywhere.
    """
    with tempfile.TemporaryDirectory() as folder:
        environment = {
            key: value for key, value in os.environ.items() if key != "DATABASE_URL" and not key.startswith(without)
        }
        environment.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_SQLITE_PATH=f"{folder}/threads.sqlite3")
        result = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", ON_A_SQLITE_FILE, function],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
        )
    testcase.assertEqual(result.returncode, 0, result.stderr)
    testcase.assertNotIn("database is locked", result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])
