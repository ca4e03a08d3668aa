"""System checks for the deployment: configurations that would start and then fail on every request."""

from django.conf import settings
from django.core.cache import caches
from django.core.checks import Error, Tags, register


@register(Tags.caches)
def check_cache_clients(app_configs=None, **kwargs):
    """Every configured cache can build its client: REDIS_URL needs the redis package installed.

    Nothing is sent to the cache; whether it answers is /readyz's question.
    """
    errors = []
    for alias, config in settings.CACHES.items():
        try:
            # The Redis and memcached backends import their client library on first use, here.
            getattr(caches.create_connection(alias), "_cache", None)
        except Exception as error:
            errors.append(
                Error(
                    f"The cache {alias!r} ({config['BACKEND']}) cannot be built: {type(error).__name__}: {error}",
                    hint="With REDIS_URL set, install the redis package (pip install -r requirements.txt).",
                    id="config.E001",
                )
            )
    return errors
