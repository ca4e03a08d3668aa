"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's own browser download does not work on these machines, so the
browser is the system Chromium (``CHROMIUM_PATH``, default /usr/bin/chromium).
Playwright's sync API runs an event loop in the test thread, which makes
Django think database calls come from async code; the tests are synchronous,
so that guard is lifted for them.
"""

import os
import shutil

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM_PATH) and not os.path.exists(CHROMIUM_PATH):
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: install Debian's chromium package (.ci/run does).")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.csp_errors = errors
    yield page
    context.close()


# The seeded database, serialized once per session (``seeded``): loading the seeds runs every review step
# and signal of 123 records (seconds on PostgreSQL), restoring their rows takes a fraction of that.
_seeded_rows: str | None = None


def _snapshot_models():
    """Every concrete model whose rows the seeds make, in an order that loads: not content types,
    permissions or sessions, which the flush between tests recreates or empties."""
    from django.apps import apps
    from django.core.serializers import sort_dependencies

    skipped = {"contenttypes", "sessions"}
    app_list = {
        config: [model for model in config.get_models() if not model._meta.proxy and model._meta.managed]
        for config in apps.get_app_configs()
        if config.label not in skipped
    }
    return [
        model
        for model in sort_dependencies(app_list.items(), allow_cycles=True)
        if model._meta.label != "auth.Permission"
    ]


def _snapshot() -> str:
    from itertools import chain

    from django.core import serializers

    querysets = (model._default_manager.order_by("pk") for model in _snapshot_models())
    return serializers.serialize("json", chain.from_iterable(querysets), use_natural_foreign_keys=True)


def _restore(rows: str) -> None:
    from django.core import serializers
    from django.db import connection, transaction

    with transaction.atomic(), connection.constraint_checks_disabled():
        deferred = []
        for deserialized in serializers.deserialize("json", rows, handle_forward_references=True):
            deserialized.save()  # one by one: a natural key names a row saved before it
            if deserialized.deferred_fields:
                deferred.append(deserialized)
        for deserialized in deferred:
            deserialized.save_deferred_fields()
    connection.check_constraints()


@pytest.fixture
def seeded(transactional_db):
    """The seed data, loaded into the live server's database.

    Live-server tests end with a flush, which also removes the role groups the
    migrations made; load_seeds and tests.base.make_user recreate them. The
    first test of a session loads the seeds; each later one restores the rows
    that left (``_restore``: the same records, ids and search index, without
    running the review steps again).
    """
    global _seeded_rows
    from django.core.management import call_command

    if _seeded_rows is None:
        call_command("load_seeds", verbosity=0)
        _seeded_rows = _snapshot()
    else:
        _restore(_seeded_rows)
