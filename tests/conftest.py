import os
import secrets
from urllib.parse import urlsplit

import pytest
from django.conf import settings


def pytest_configure(config):
    # Hashing passwords properly is slow by design; tests need none of that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests must not share state through the cache: each starts with it empty.
    settings.CACHES = {"default": cache_for_tests()}


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
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
