"""Production settings come from environment variables only, and bad values stop the start.

Each test starts a fresh interpreter with a controlled environment: settings are
read once per process, so this is the only honest way to see what a given
environment produces.
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

BASE_DIR = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json
from django.conf import settings
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}))
"""


def production_environment(**overrides: str) -> dict[str, str]:
    """The process environment stripped of project variables, plus a valid production configuration."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "LOGIN_THROTTLE_", "REVIEW_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="claims.example.org",
        DJANGO_SQLITE_PATH=":memory:",  # system checks open the database (JSONField support)
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def run_python(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """Run this interpreter with ``arguments`` (our own code, not input) in the project folder."""
    return subprocess.run(  # noqa: S603
        [sys.executable, *arguments], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def read_settings(*names: str, **overrides: str) -> dict:
    result = run_python("-c", PRINT_SETTINGS.format(names=list(names)), environment=production_environment(**overrides))
    if result.returncode != 0:
        raise AssertionError(f"settings did not load:\n{result.stderr}")
    return json.loads(result.stdout)


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_reports_nothing_under_production_settings(self):
        result = run_python(
            "manage.py", "check", "--deploy", "--fail-level", "DEBUG", environment=production_environment()
        )

        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertEqual(result.stderr, "")

    def test_check_deploy_would_report_weak_production_settings(self):
        # The check itself works: a short HSTS max-age and no secure cookies are reported.
        result = run_python(
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            environment=production_environment(DJANGO_HSTS_SECONDS="0", DJANGO_SECURE_COOKIES="off"),
        )

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W004", result.stderr)
        self.assertIn("security.W012", result.stderr)


class ProductionDefaultsTests(SimpleTestCase):
    def test_production_defaults_are_secure(self):
        values = read_settings(
            "DEBUG",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_PROXY_SSL_HEADER",
        )

        self.assertEqual(
            values,
            {
                "DEBUG": False,
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SECURE_SSL_REDIRECT": True,
                "SECURE_HSTS_SECONDS": 31536000,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                "SECURE_PROXY_SSL_HEADER": None,
            },
        )

    def test_development_needs_no_environment(self):
        values = read_settings("DEBUG", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", DJANGO_DEBUG=None)

        self.assertEqual(values, {"DEBUG": True, "SESSION_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0})


class EnvironmentVariableTests(SimpleTestCase):
    def test_secure_cookies_can_be_turned_off(self):
        values = read_settings("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", DJANGO_SECURE_COOKIES="off")

        self.assertEqual(values, {"SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False})

    def test_secure_cookies_can_be_turned_on_in_development(self):
        values = read_settings("SESSION_COOKIE_SECURE", DJANGO_DEBUG="on", DJANGO_SECURE_COOKIES="on")

        self.assertEqual(values, {"SESSION_COOKIE_SECURE": True})

    def test_hsts_seconds_are_read(self):
        values = read_settings("SECURE_HSTS_SECONDS", DJANGO_HSTS_SECONDS="600")

        self.assertEqual(values, {"SECURE_HSTS_SECONDS": 600})

    def test_hsts_subdomains_and_preload_are_read(self):
        values = read_settings(
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SILENCED_SYSTEM_CHECKS",
            DJANGO_HSTS_INCLUDE_SUBDOMAINS="off",
            DJANGO_HSTS_PRELOAD="on",
        )

        self.assertEqual(
            values,
            {"SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": True, "SILENCED_SYSTEM_CHECKS": []},
        )

    def test_proxy_ssl_header_is_trusted_only_when_asked(self):
        values = read_settings("SECURE_PROXY_SSL_HEADER", DJANGO_SECURE_PROXY_SSL_HEADER="on")

        self.assertEqual(values, {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]})

    def test_ssl_redirect_can_be_left_to_the_proxy(self):
        values = read_settings("SECURE_SSL_REDIRECT", DJANGO_SECURE_SSL_REDIRECT="off")

        self.assertEqual(values, {"SECURE_SSL_REDIRECT": False})

    def test_allowed_hosts_are_a_comma_separated_list(self):
        values = read_settings("ALLOWED_HOSTS", DJANGO_ALLOWED_HOSTS="claims.example.org, www.example.org")

        self.assertEqual(values, {"ALLOWED_HOSTS": ["claims.example.org", "www.example.org"]})

    def test_login_throttle_is_configurable(self):
        values = read_settings(
            "LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER",
            "LOGIN_THROTTLE_LOCK_SECONDS",
            "LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR",
            LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER="5",
            LOGIN_THROTTLE_LOCK_SECONDS="60",
            LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR="on",
        )

        self.assertEqual(
            values,
            {
                "LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER": 5,
                "LOGIN_THROTTLE_LOCK_SECONDS": 60,
                "LOGIN_THROTTLE_TRUST_X_FORWARDED_FOR": True,
            },
        )


class CacheTests(SimpleTestCase):
    """Every worker must share the cache, or an approval reaches only the worker that handled it."""

    def backend(self, **overrides: str) -> str:
        return read_settings("CACHES", **overrides)["CACHES"]["default"]["BACKEND"]

    def test_production_shares_a_file_cache_between_workers_by_default(self):
        assert self.backend() == "django.core.cache.backends.filebased.FileBasedCache"

    def test_redis_is_used_when_configured(self):
        assert self.backend(REDIS_URL="redis://127.0.0.1:6379/1") == "django.core.cache.backends.redis.RedisCache"

    def test_development_keeps_the_cache_in_memory(self):
        assert self.backend(DJANGO_DEBUG="on") == "django.core.cache.backends.locmem.LocMemCache"


class RefusalTests(SimpleTestCase):
    def assert_refuses(self, message: str, **overrides: str):
        result = run_python(
            "-c", PRINT_SETTINGS.format(names=["DEBUG"]), environment=production_environment(**overrides)
        )

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn(message, result.stderr)

    def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(self):
        self.assert_refuses("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off", DJANGO_SECRET_KEY=None)

    def test_it_refuses_an_empty_secret_key_when_debug_is_off(self):
        self.assert_refuses("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off", DJANGO_SECRET_KEY="")

    def test_it_refuses_an_unreadable_debug_flag(self):
        self.assert_refuses(
            "DJANGO_DEBUG must be one of 1/0, true/false, yes/no, on/off; got 'maybe'", DJANGO_DEBUG="maybe"
        )

    def test_it_refuses_an_unreadable_secure_cookies_flag(self):
        self.assert_refuses("DJANGO_SECURE_COOKIES must be one of", DJANGO_SECURE_COOKIES="sometimes")

    def test_it_refuses_hsts_seconds_that_are_not_a_number(self):
        self.assert_refuses("DJANGO_HSTS_SECONDS must be a whole number; got 'a year'", DJANGO_HSTS_SECONDS="a year")

    def test_it_refuses_negative_hsts_seconds(self):
        self.assert_refuses("DJANGO_HSTS_SECONDS must be at least 0; got -1", DJANGO_HSTS_SECONDS="-1")

    def test_it_refuses_an_unreadable_database_url(self):
        self.assert_refuses("DATABASE_URL could not be read", DATABASE_URL="nosuchdb://somewhere")

    def test_it_refuses_a_login_lock_threshold_of_zero(self):
        self.assert_refuses(
            "LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER must be at least 1; got 0", LOGIN_THROTTLE_ACCOUNT_LOCK_AFTER="0"
        )


PRINT_SQLITE_STATE = """
import json
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
print(json.dumps({
    "journal_mode": journal_mode, "busy_timeout": busy_timeout, "transaction_mode": connection.transaction_mode
}))
"""


class SqliteSafeguardTests(SimpleTestCase):
    """WAL, IMMEDIATE transactions and the busy timeout, however the SQLite database is named."""

    SAFEGUARDS = {"journal_mode": "wal", "busy_timeout": 20000, "transaction_mode": "IMMEDIATE"}

    def live_state(self, **overrides: str) -> dict:
        result = run_python("-c", PRINT_SQLITE_STATE, environment=production_environment(**overrides))
        if result.returncode != 0:
            raise AssertionError(f"could not open the database:\n{result.stderr}")
        return json.loads(result.stdout)

    def test_the_default_sqlite_database_has_them(self):
        with tempfile.TemporaryDirectory() as folder:
            state = self.live_state(DJANGO_SQLITE_PATH=str(Path(folder) / "claims.sqlite3"))

        self.assertEqual(state, self.SAFEGUARDS)

    def test_a_sqlite_database_url_has_them(self):
        with tempfile.TemporaryDirectory() as folder:
            state = self.live_state(DATABASE_URL=f"sqlite:///{Path(folder) / 'claims.sqlite3'}")

        self.assertEqual(state, self.SAFEGUARDS)

    def test_options_of_its_own_win_and_the_rest_are_added(self):
        from config.settings import with_sqlite_safeguards

        database = with_sqlite_safeguards(
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "x", "OPTIONS": {"timeout": 5}}
        )

        self.assertEqual((database["OPTIONS"]["timeout"], database["OPTIONS"]["transaction_mode"]), (5, "IMMEDIATE"))

    def test_other_databases_are_left_alone(self):
        from config.settings import with_sqlite_safeguards

        database = {"ENGINE": "django.db.backends.postgresql", "NAME": "claims"}

        self.assertEqual(with_sqlite_safeguards(database), database)


CHECK_WITHOUT_REDIS = """
import sys
sys.modules["redis"] = None  # as if the package were not installed
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
"""


class CacheClientCheckTests(SimpleTestCase):
    def test_check_deploy_fails_when_redis_url_is_set_without_the_redis_package(self):
        result = run_python(
            "-c", CHECK_WITHOUT_REDIS, environment=production_environment(REDIS_URL="redis://127.0.0.1:6379/15")
        )

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("config.E001", result.stderr)
        self.assertIn("install the redis package", result.stderr)

    def test_check_deploy_passes_with_redis_url_and_the_package(self):
        # Building the client sends nothing: the check passes whether or not Redis runs.
        result = run_python(
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            environment=production_environment(REDIS_URL="redis://127.0.0.1:1/15"),
        )

        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
