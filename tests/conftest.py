import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings


def pytest_configure(config):
    # Hashing passwords properly is slow by design; tests need none of that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests must not share state through the cache: each starts with it empty.
    settings.CACHES = {"default": cache_for_tests()}
    compile_stale_catalogues()


def compile_stale_catalogues() -> None:
    """Compile each translation catalogue (locale/*/LC_MESSAGES/*.po) whose .mo is missing or older, as `make` does.

    So that `pytest` alone serves /ur/, /fa/ and /ps/ with the catalogues as they are in the tree.
    Each .mo is written beside the .po under another name and then renamed, so a test run elsewhere
    in the same checkout never reads half a file.
    """
    stale = [
        po
        for locale_path in settings.LOCALE_PATHS
        for po in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise pytest.UsageError(
            "The translation catalogues need compiling and msgfmt (GNU gettext) is not installed: "
            "run 'make test' (which installs it), or 'apt-get install gettext', or compile them with "
            "'python manage.py compilemessages'."
        )
    for po in stale:
        handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            command = [msgfmt, "--check-format", "-o", temporary, str(po)]
            subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own files
            os.replace(temporary, po.with_suffix(".mo"))
        except subprocess.CalledProcessError as error:
            raise pytest.UsageError(f"msgfmt refused {po}: {error.stderr.decode(errors='replace')}") from None
        finally:
            Path(temporary).unlink(missing_ok=True)


def cache_for_tests() -> dict:
    """Local memory; or, with TEST_REDIS_URL, a real Redis, as production runs with REDIS_URL.

    cache.clear() empties the whole Redis database (FLUSHDB), whatever the key prefix,
    so the URL must name a database of its own: not 0, where other things usually live.
    """
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    if urlsplit(url).path.strip("/") in ("", "0"):
        raise pytest.UsageError(
            f"TEST_REDIS_URL={url} names Redis database 0; the tests empty the database they use, "
            "so give them one of their own, e.g. redis://127.0.0.1:6379/15."
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"tests-{secrets.token_hex(4)}",
    }


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts in English: a request to /ur/… leaves Urdu active in its thread, which reverse() would use."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
