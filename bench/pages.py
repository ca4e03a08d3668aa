"""The pages the benchmark measures: one row each, resolved inside the app.

``kind`` says which targets apply and how a page is requested:

- ``public``: a reader's page; measured anonymously (served from the page
  cache) and logged in (rendered every time, as for any uncached reader);
- ``search``: like ``public``, with its own latency target;
- ``desk``: the analysts' workspace, measured logged in as an analyst;
- ``api``: an endpoint of the API at /api/v1/, measured anonymously, as a
  script without a token reads it;
- ``floor`` and ``static``: the references every page is compared with.

A page whose URL name does not exist yet, or whose target record is not in
the database, is reported as missing. To measure a new page, add a row.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bench.corpus import (
    BENCH_ACTOR_SLUG,
    BENCH_CONTRADICTION_SLUG,
    BENCH_QUESTION_SLUG,
    BENCH_SEARCH_TERM,
    BENCH_SOURCE_URL,
)


def bench_source_id() -> list:
    from sources.models import Source

    return [Source.objects.get(url=BENCH_SOURCE_URL).pk]


@dataclass(frozen=True)
class Page:
    name: str
    kind: str
    url_name: str = ""  # reversed by Django; empty for the static file
    args: Callable[[], list] = list  # URL arguments, looked up in the benchmark's database
    query: str = ""


PAGES = [
    Page("home", "public", "reader:home"),
    Page("contradictions", "public", "reader:contradictions"),
    Page("contradiction (40 claims)", "public", "reader:contradiction", lambda: [BENCH_CONTRADICTION_SLUG]),
    Page("question (24 answers)", "public", "reader:question", lambda: [BENCH_QUESTION_SLUG]),
    Page("actor (500 claims)", "public", "reader:actor", lambda: [BENCH_ACTOR_SLUG]),
    Page("changes of position", "public", "reader:changes"),
    Page("source", "public", "reader:source", bench_source_id),
    Page("feed", "public", "reader:feed"),
    Page("search", "search", "reader:search", query=f"q={BENCH_SEARCH_TERM}"),
    Page("desk home", "desk", "desk:home"),
    Page("board (40 claims)", "desk", "desk:board", lambda: [BENCH_CONTRADICTION_SLUG]),
    Page("question board (24 answers)", "desk", "desk:question", lambda: [BENCH_QUESTION_SLUG]),
    Page("API list: contradictions", "api", "api:contradictions"),
    Page("API detail: contradiction", "api", "api:contradiction", lambda: [BENCH_CONTRADICTION_SLUG]),
    Page("healthz (floor)", "floor", "healthz"),
    Page("static file", "static"),
]
STATIC_FILE = "css/site.css"
