"""Run inside the app's environment (the server's settings and database) by bench/run.py.

Counts the database queries of each page the benchmark measures, in each
variant it is measured in: once rendered (every cache empty, as for the first
reader after a change) and once served (the same request again, its page and
fragments kept). The caches are this process's own (local memory), so the
servers' shared cache is neither read nor changed, and no page is kept in the
process's memory (PUBLIC_PAGE_MEMORY_BYTES=0). Then it times the served
request in this process, with no server, network or load generator in between:
the best average of its batches of requests (each at least
TIMING_BATCH_SECONDS long; TIMING_ROUNDS turns over every page), in ms.
That is the app's own work for the request, the figure to read when a page's
p95 under wrk differs between the two sizes: on shared cores a run's p95 of a
few ms swings with the machine, this figure far less. Prints JSON on stdout:
``{page name: {variant: {"rendered": n, "served": n, "served_ms": t}}}``; a page
that does not answer 200 is left out.

Usage (run.py passes the environment): bench/queries.py ANALYST
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import LOGGED_IN
from bench.run import VARIANTS as MEASURED

# The kinds of page that ask the database anything, in the variants the benchmark measures them in.
VARIANTS = {kind: variants for kind, variants in MEASURED.items() if kind not in ("floor", "static")}
OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-queries"}}
# Batches long enough that one preemption of the process barely shows in a batch's average,
# in turns over every page (see page_query_counts).
TIMING_ROUNDS, TIMING_BATCHES, TIMING_BATCH_SECONDS, TIMING_MIN_REQUESTS = 3, 3, 0.1, 10


def page_query_counts(
    analyst_username: str, *, rounds: int = TIMING_ROUNDS, batch_seconds: float = TIMING_BATCH_SECONDS
) -> dict:
    """``{page name: {variant: {"rendered": n, "served": n, "served_ms": t}}}`` for each page of bench/pages.py answering 200."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.pages import PAGES
    from bench.prepare import resolve

    def count(client: Client, path: str) -> int | None:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, secure=settings.SECURE_SSL_REDIRECT)
        return len(queries) if response.status_code == 200 else None

    def batches(client: Client, path: str) -> list[float]:
        client.get(path, secure=settings.SECURE_SSL_REDIRECT)  # kept again if another page's turn pushed it out
        averages = []
        for _ in range(TIMING_BATCHES):
            began, requests = time.perf_counter(), 0
            while requests < TIMING_MIN_REQUESTS or time.perf_counter() - began < batch_seconds:
                client.get(path, secure=settings.SECURE_SSL_REDIRECT)
                requests += 1
            averages.append((time.perf_counter() - began) / requests * 1000)
        return averages

    analyst = get_user_model().objects.get(username=analyst_username)
    host = next((host for host in settings.ALLOWED_HOSTS if "*" not in host), "testserver")
    counts, timed = {}, []
    with override_settings(CACHES=OWN_CACHE):
        for page in PAGES:
            row = resolve(page)
            if page.kind not in VARIANTS or "path" not in row:
                continue
            for variant in VARIANTS[page.kind]:
                client = Client(SERVER_NAME=host)
                if variant == LOGGED_IN:
                    client.force_login(analyst)
                for alias in settings.CACHES:
                    caches[alias].clear()
                rendered, served = count(client, row["path"]), count(client, row["path"])
                if rendered is not None and served is not None:
                    counts.setdefault(page.name, {})[variant] = {"rendered": rendered, "served": served}
                    timed.append((counts[page.name][variant], client, row["path"]))
        # Every page takes TIMING_ROUNDS turns, spread over the whole run, so that a busy spell of
        # the machine falls on one turn of a page, not on all of its batches.
        averages = [[] for _ in timed]
        for _ in range(rounds):
            for index, (_, client, path) in enumerate(timed):
                averages[index] += batches(client, path)
        for (counted, _, _), page_averages in zip(timed, averages, strict=True):
            counted["served_ms"] = round(min(page_averages), 3)
    return counts


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["PUBLIC_PAGE_MEMORY_BYTES"] = "0"

    import django

    django.setup()
    json.dump(page_query_counts(sys.argv[1]), sys.stdout)
