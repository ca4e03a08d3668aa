"""make bench: throughput and latency of every page, at an empty database and at 100,000 claims, on two layouts.

Two legs (LEGS), each at both sizes:

- ``sqlite``: one gunicorn instance per database on a SQLite file (built once,
  then cached in var/bench/, and copied for the run), pages cached in files;
- ``postgres``: PostgreSQL and Redis shared by two gunicorn instances on two
  ports, as when several app servers share them. The run creates a fresh
  PostgreSQL database per size (migrations, seeds, corpus) and drops it at the
  end, with two instances of its own; it empties the Redis database
  (--redis-url) first and gives each database a key prefix. wrk drives both
  instances at once, half the connections each. Then the cross-instance check:
  an approval made through instance A's review queue shows on instance B's next
  request (a stale page only within the grace of GRACE_SECONDS), and after a
  return to draft through A no request to B shows the record again. A miss fails
  the run.

Each leg serves both databases at once under production settings, logs an
analyst in through the login form, and measures each page in bench/pages.py with
wrk on the empty database and the large one, one right after the other, so that
a busy spell of a shared machine falls on both sizes alike (a page that
answers any request of its run with HTTP 400 or above fails the run; the API's
limit per address is raised out of wrk's reach, API_RATE_LIMIT). Prints one
table with each page's requests per second, p50/p95/p99 latency and throughput
relative to /healthz (the framework floor) on both legs side by side, checks the
targets of the performance issue per leg, and writes everything as JSON to
bench/results/latest.json. With --load it also runs 50 concurrent readers for
60 seconds against the large SQLite database while writers approve claims, and
reports every error; it does so once per way of configuring the database and
the cache (LOAD_CONFIGURATIONS), since each has failed on its own before.

With --compare (memory-cache, desk-fragments; SWITCHES) the large database of
each leg is also served with that part switched off, by instances of its own
started beside the others, and each page is measured on every configuration
one right after the other; the report shows each page with and without it.

With --repeat N every configuration takes N turns at each page and its best run
(by throughput) counts; make bench uses 3, since one run of a few seconds on
shared cores swings by tens of per cent.

Usage: .venv/bin/python bench/run.py [--claims 100000] [--seed 1] [--duration 5] [--repeat 3] [--load]
       [--leg sqlite|postgres] [--compare memory-cache] [--compare desk-fragments]
"""

import argparse
import datetime
import hashlib
import http.cookiejar
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CACHE_DIR = BASE_DIR / "var" / "bench"
RESULTS_DIR = BASE_DIR / "bench" / "results"
WRK_SCRIPT = BASE_DIR / "bench" / "wrk" / "report.lua"
PYTHON = sys.executable
WRK = shutil.which("wrk")

ANONYMOUS, LOGGED_IN = "anonymous", "logged in"
# Which requests each kind of page gets: anonymous readers are served from the
# page cache; a logged-in reader's page is rendered every time.
VARIANTS = {
    "public": [ANONYMOUS, LOGGED_IN],
    "search": [ANONYMOUS, LOGGED_IN],
    "desk": [LOGGED_IN],
    "api": [ANONYMOUS],
    "floor": [ANONYMOUS],
    "static": [ANONYMOUS],
}
# The targets of the performance issue (issue 12), at the large database on every leg:
# anonymous public pages at least 0.8× the /healthz floor of the same run, logged-in public
# pages at least 0.25×, search and desk p95 under 50 ms, and no page's p95 more than 25% above
# its p95 at the empty database.
ANONYMOUS_RATIO, LOGGED_IN_RATIO = 0.8, 0.25
SEARCH_P95_MS, DESK_P95_MS = 50, 50
MAX_P95_GROWTH = 0.25
# The load check runs once per configuration: SQLite named by DJANGO_SQLITE_PATH or by
# DATABASE_URL, and the shared cache in files or in Redis.
LOAD_CONFIGURATIONS = {
    "sqlite-path": "DJANGO_SQLITE_PATH, file cache",
    "sqlite-url": "DATABASE_URL=sqlite:///…, file cache",
    "redis": "DJANGO_SQLITE_PATH, REDIS_URL",
}
LEGS = {
    "sqlite": "SQLite, file cache, 1 instance",
    "postgres": "PostgreSQL + Redis, 2 instances",
}
# The API answers an address 429 after API_RATE_LIMIT_ANONYMOUS requests a window (120 a minute by
# default), which wrk reaches within its first second: the servers the benchmark starts allow more
# than it can send, so that the API rows measure answers, not refusals.
API_RATE_LIMIT = 1_000_000_000
# The documented grace (reader caching): a page may miss approvals this recent, never a withdrawal.
GRACE_SECONDS = 5
# What --compare switches off, one at a time, in the app's environment (see README, Configuration).
SWITCHES = {
    "memory-cache": {"PUBLIC_PAGE_MEMORY_BYTES": "0"},
    "desk-fragments": {"DESK_FRAGMENTS": "off"},
}


class BenchError(Exception):
    """Something the benchmark needs is not there; the message says what to do."""


@dataclass
class Options:
    claims: int
    seed: int
    duration: int
    warmup: int
    threads: int
    connections: int
    workers: int
    worker_threads: int
    port: int
    load: bool
    load_seconds: int
    load_connections: int
    rebuild: bool
    pages: list[str]
    repeat: int
    variants: list[str]
    load_with: list[str]
    redis_url: str
    legs: list[str]
    postgres_url: str
    compare: list[str]
    in_process: bool


def parse_options() -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000, help="claims in the large database (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--duration", type=int, default=5, help="seconds measured per page (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured requests first (default 1)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--worker-threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: any free port)")
    parser.add_argument("--load", action="store_true", help="also run the under-load check with writers active")
    parser.add_argument("--load-seconds", type=int, default=60, help="length of the load check (default 60)")
    parser.add_argument("--load-connections", type=int, default=50, help="concurrent readers (default 50)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per page on each configuration, in turns; the best one counts (default 1)",
    )
    parser.add_argument(
        "--variant",
        dest="variants",
        action="append",
        choices=["anonymous", "logged-in"],
        help="measure pages only in this variant (repeatable; default: both; the floor is always measured)",
    )
    parser.add_argument(
        "--page",
        dest="pages",
        action="append",
        default=[],
        help="measure only pages whose name contains this (repeatable)",
    )
    parser.add_argument(
        "--load-with",
        action="append",
        choices=list(LOAD_CONFIGURATIONS),
        help="run the load check in this configuration (repeatable; default: all of them)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="the Redis database the postgres leg and the redis load configuration use; it is emptied first "
        "(default redis://127.0.0.1:6379/14)",
    )
    parser.add_argument(
        "--leg",
        dest="legs",
        action="append",
        choices=list(LEGS),
        help="measure on this layout (repeatable; default: both)",
    )
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL database to connect to while creating and dropping the benchmark's own "
        "(default postgres://postgres@127.0.0.1:5432/postgres)",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="only each page's queries and in-process time at both sizes (bench/queries.py): no server, no wrk",
    )
    parser.add_argument(
        "--compare",
        action="append",
        choices=list(SWITCHES),
        default=[],
        help="at the large database, measure every page again with this switched off, right after the run with "
        "everything on, and print both side by side (repeatable)",
    )
    options = Options(**vars(parser.parse_args()))
    options.load_with = options.load_with or list(LOAD_CONFIGURATIONS)
    options.variants = [variant.replace("-", " ") for variant in options.variants or [ANONYMOUS, LOGGED_IN]]
    options.legs = [leg for leg in LEGS if leg in (options.legs or LEGS)]
    uses_redis = "postgres" in options.legs or (options.load and "redis" in options.load_with)
    if uses_redis and urllib.parse.urlsplit(options.redis_url).path.strip("/") in ("", "0"):
        parser.error("--redis-url must name a Redis database other than 0: the benchmark empties it")
    return options


# ---------------------------------------------------------------------------
# Databases


def app_env(**extra: str) -> dict:
    """The environment for the app's own processes: SQLite, nothing inherited that would point elsewhere."""
    switches = {name for switch in SWITCHES.values() for name in switch}
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_")) and name not in switches
    }
    env["PYTHONPATH"] = str(BASE_DIR)
    return {**env, **extra}


def manage(*args: str, env: dict, quiet: bool = False) -> None:
    output = subprocess.DEVNULL if quiet else None
    completed = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, stdout=output, check=False)  # noqa: S603
    if completed.returncode:
        raise BenchError(f"manage.py {' '.join(args)} failed (exit {completed.returncode}).")


def schema_key() -> str:
    """Changes whenever the migrations, the seeds or the corpus generator change."""
    digest = hashlib.sha256()
    inputs = [
        *sorted(BASE_DIR.glob("*/migrations/*.py")),
        *sorted(path for path in (BASE_DIR / "seeds").rglob("*") if path.is_file()),
        BASE_DIR / "bench" / "corpus.py",
        BASE_DIR / "claims" / "management" / "commands" / "generate_corpus.py",
        BASE_DIR / "claims" / "management" / "commands" / "load_seeds.py",
    ]
    for path in inputs:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def database(claims: int, seed: int, *, rebuild: bool) -> Path:
    """A database with the migrations, the seeds, the fixed benchmark set and ``claims`` more; built once."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    stem = f"corpus-{claims}-seed{seed}"
    path = CACHE_DIR / f"{stem}-{schema_key()}.sqlite3"
    if path.exists() and not rebuild:
        print(f"Using the cached database {path.relative_to(BASE_DIR)}")
        return path
    for stale in CACHE_DIR.glob(f"{stem}-*.sqlite3*"):
        stale.unlink()
    building = path.with_name(path.name + ".building")
    print(f"Building {path.relative_to(BASE_DIR)}: migrations, seeds, fixed benchmark set and {claims:,} claims")
    began = time.monotonic()
    env = app_env(DJANGO_SQLITE_PATH=str(building), DJANGO_DEBUG="on")
    manage("migrate", "--noinput", env=env, quiet=True)
    manage("load_seeds", env=env, quiet=True)
    manage("generate_corpus", "--claims", str(claims), "--seed", str(seed), env=env)
    with sqlite3.connect(building) as connection:  # one self-contained file: no WAL beside it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    building.rename(path)
    print(f"Built in {time.monotonic() - began:.0f} s")
    return path


def postgres_url_for(server_url: str, name: str) -> str:
    """``server_url`` with its database name replaced by ``name``."""
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def postgres_database(server_url: str, name: str):
    """A fresh PostgreSQL database for one run, dropped afterwards (whatever happens); yields its URL."""
    import psycopg

    def execute(statement: str) -> None:
        try:
            with psycopg.connect(server_url, autocommit=True) as connection:
                connection.execute(statement)
        except psycopg.Error as error:
            raise BenchError(f"PostgreSQL at {server_url}: {error}".strip()) from None

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # left behind by an interrupted run
    execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url_for(server_url, name)
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_postgres(url: str, claims: int, seed: int) -> None:
    """Migrations, seeds, the fixed benchmark set and ``claims`` more, written into the empty database at ``url``."""
    print(f"Building a PostgreSQL database: migrations, seeds, fixed benchmark set and {claims:,} claims")
    began = time.monotonic()
    env = app_env(DATABASE_URL=url, DJANGO_DEBUG="on")
    manage("migrate", "--noinput", env=env, quiet=True)
    manage("load_seeds", env=env, quiet=True)
    manage("generate_corpus", "--claims", str(claims), "--seed", str(seed), env=env)
    vacuum_analyze(url)
    print(f"Built in {time.monotonic() - began:.0f} s")


def vacuum_analyze(url: str) -> None:
    """VACUUM (ANALYZE) the freshly loaded database, so that autovacuum does not start on it while pages are measured."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


# ---------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_path: Path, static_root: Path) -> dict:
    # Each database gets its own shared page cache, so no page rendered from one
    # database is ever served while measuring the other.
    return app_env(
        DJANGO_CACHE_DIR=str(database_path.with_name(f"{database_path.stem}-cache")),
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="off",
        DJANGO_SECURE_COOKIES="off",
        DJANGO_SQLITE_PATH=str(database_path),
        DJANGO_STATIC_ROOT=str(static_root),
        API_RATE_LIMIT_ANONYMOUS=str(API_RATE_LIMIT),
    )


def postgres_env(url: str, static_root: Path, redis_url: str) -> dict:
    """Production settings on PostgreSQL and Redis: one environment for every instance, as app servers share it."""
    env = production_env(static_root / "unused.sqlite3", static_root)
    del env["DJANGO_SQLITE_PATH"], env["DJANGO_CACHE_DIR"]
    # The instances must agree on the key prefix (it is a digest of the code by default,
    # which a file saved between two starts would change) and on the secret key (sessions).
    return {
        **env,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
    }


@contextmanager
def gunicorn(env: dict, port: int, options: Options, log: Path):
    command = [
        PYTHON, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(options.workers),
        "--worker-class", "gthread",
        "--threads", str(options.worker_threads),
        "--log-level", "warning",
        "--error-logfile", str(log),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, f"{base_url}/healthz", log)
        yield base_url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited (code {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer {url} within a minute:\n{log.read_text()[-3000:]}")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.build_opener(NoRedirects).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def log_in(base_url: str, login_path: str, username: str, password: str) -> str:
    """Log in through the login form, as a browser would; return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
    url = base_url + login_path
    with opener.open(url, timeout=30) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if not token:
        raise BenchError(f"No CSRF token in the login form at {url}.")
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token[1]})
    request = urllib.request.Request(url, data=data.encode(), headers={"Referer": url})  # noqa: S310
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise BenchError(f"Logging in as {username} failed: HTTP {error.code}.") from None
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise BenchError(f"Logging in as {username} gave no session cookie.")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# ---------------------------------------------------------------------------
# Measuring


def require_wrk() -> str:
    """wrk's version; BenchError if it is not installed."""
    if not WRK:
        raise BenchError("wrk is not installed. Install it with: sudo apt-get install wrk  (Debian's package 'wrk').")
    version = subprocess.run([WRK, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return (version.stdout or version.stderr).splitlines()[0].strip()


def wrk(url: str, *, seconds: int, threads: int, connections: int, cookie=None, paths=None) -> dict:
    """One wrk run; latencies in milliseconds, every kind of error counted."""
    command = [WRK, f"-t{threads}", f"-c{max(threads, connections)}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(WRK_SCRIPT), *(["-H", f"Cookie: {cookie}"] if cookie else []), url]
    env = {name: value for name, value in os.environ.items() if name != "BENCH_PATHS"}
    if paths:
        env["BENCH_PATHS"] = " ".join(paths)
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 120, check=False)  # noqa: S603
    line = next((line for line in completed.stdout.splitlines() if line.startswith("BENCH-RESULT ")), None)
    if line is None:
        raise BenchError(f"wrk gave no result for {url}:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(line.removeprefix("BENCH-RESULT "))
    errors = {
        name: raw[name] for name in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    }
    answered = raw["requests"] > 0  # with no response, wrk reports latencies of 0: there are none
    return {
        "requests": raw["requests"],
        "kb_per_response": round(raw["bytes"] / raw["requests"] / 1024, 1) if answered else None,
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        **{name: round(raw[f"{name}_us"] / 1000, 2) if answered else None for name in ("p50", "p95", "p99", "max")},
        "errors": sum(errors.values()),
        "error_kinds": errors,
    }


def wrk_spread(base_urls: list[str], path: str, *, seconds: int, threads: int, connections: int, cookie=None) -> dict:
    """``wrk`` on ``path`` of every instance at once, threads and connections split between them.

    Throughput is the sum; each latency figure is the worse instance's (wrk
    gives percentiles, which cannot be merged); errors are summed.
    """
    if len(base_urls) == 1:
        return wrk(base_urls[0] + path, seconds=seconds, threads=threads, connections=connections, cookie=cookie)
    share = {
        "seconds": seconds,
        "threads": max(1, threads // len(base_urls)),
        "connections": max(1, connections // len(base_urls)),
        "cookie": cookie,
    }
    with ThreadPoolExecutor(len(base_urls)) as pool:
        runs = list(pool.map(lambda base_url: wrk(base_url + path, **share), base_urls))
    requests = sum(run["requests"] for run in runs)
    latencies = {
        name: None if any(run[name] is None for run in runs) else max(run[name] for run in runs)
        for name in ("p50", "p95", "p99", "max")
    }
    answered = [run for run in runs if run["kb_per_response"] is not None]
    return {
        "requests": requests,
        "kb_per_response": round(sum(run["kb_per_response"] * run["requests"] for run in answered) / requests, 1)
        if requests and answered
        else None,
        "rps": round(sum(run["rps"] for run in runs), 1),
        **latencies,
        "errors": sum(run["errors"] for run in runs),
        "error_kinds": {name: sum(run["error_kinds"][name] for run in runs) for name in runs[0]["error_kinds"]},
        "per_instance": [{"rps": run["rps"], "p95": run["p95"]} for run in runs],
    }


def prepare(env: dict) -> dict:
    return json.loads(run_in_app("prepare.py", env=env))


def query_counts(env: dict, setup: dict) -> dict:
    """Each page's database queries in each variant, rendered and served (bench/queries.py)."""
    return json.loads(run_in_app("queries.py", setup["analyst"], env=env))


def with_queries(rows: list[dict], counts: dict) -> list[dict]:
    """``rows`` with each page's query counts, where bench/queries.py could count them."""
    for row in rows:
        found = counts.get(row["page"], {}).get(row["variant"])
        if found:
            row["queries"] = found
    return rows


def wanted(page: dict, options: Options) -> bool:
    """Every page, or those --page names (the floor is measured regardless: every ratio needs it)."""
    return not options.pages or any(name in page["name"] for name in options.pages)


def answered(page: dict, variant: str, run: dict) -> dict:
    """``run``, or BenchError if wrk got any error status (400 or above, e.g. 429 from a rate limit).

    Each page answered 200 before its run; a refusal during the run would make
    its figures those of the refusals, which are fast.
    """
    refused = run["error_kinds"]["status_errors"]
    if refused:
        raise BenchError(
            f"{page['name']} ({variant}): {refused:,} of {run['requests']:,} responses were not 200 "
            "(HTTP 400 or above); its figures would measure the refusals."
        )
    return run


def measure_one(
    base_urls: list[str], page: dict, variant: str, cookie: str, options: Options, label: str = "", *, warm: bool = True
) -> dict:
    """One run of one page in one variant (after --warmup seconds if ``warm``); a missing page is recorded, not measured.

    With several instances, each must answer the page, and wrk drives them all at once.
    """
    row = {"page": page["name"], "kind": page["kind"], "variant": variant, "path": page.get("path")}
    if "missing" in page:
        row["missing"] = page["missing"]
    else:
        session = cookie if variant == LOGGED_IN else None
        statuses = [status_of(url + page["path"], session) for url in base_urls]
        status = next((status for status in statuses if status != 200), 200)
        if status != 200:
            row["missing"] = "not found (404)" if status == 404 else f"HTTP {status}"
        else:
            runs = {"threads": options.threads, "connections": options.connections, "cookie": session}
            if options.warmup and warm:
                wrk_spread(base_urls, page["path"], seconds=options.warmup, **runs)
            row.update(answered(page, variant, wrk_spread(base_urls, page["path"], seconds=options.duration, **runs)))
    if "missing" in row:
        print(f"  {page['name']:<28} {variant:<10} missing: {row['missing']}  {label}")
    else:
        print(
            f"  {page['name']:<28} {variant:<10} {row['rps']:>8.0f} req/s  p50 {ms(row['p50'], 7)}  "
            f"p95 {ms(row['p95'], 7)}  p99 {ms(row['p99'], 7)} ms"
            + (f"  {row['errors']} errors" if row["errors"] else "")
            + (f"  {label}" if label else "")
        )
    return row


@dataclass
class Configuration:
    """One configuration of the app being measured beside the others: a database, maybe with one part off.

    ``size`` is the database's label ("empty", "100,000 claims"); ``switch`` is
    None with everything on, or the one of SWITCHES that is off.
    """

    size: str
    switch: str | None
    setup: dict
    urls: list[str]
    cookie: str

    @property
    def label(self) -> str:
        return f"({self.size}" + (f", without {self.switch}" if self.switch else "") + ")"


def measure(configurations: list[Configuration], options: Options) -> list[list[dict]]:
    """Every chosen page in every variant that applies to it, on each configuration, compared with its floor.

    Every configuration serves the same table of pages (each resolved in its
    own database). For each page the configurations are measured one right
    after the other, in an order that rotates from page to page, so a busy
    spell of a shared machine falls on all of them alike: the empty database
    and the large one, whose p95 growth the targets compare, as well as any
    switched-off parts. With --repeat they take turns that many times, and each
    one's best run (by throughput) counts. The floor is measured three times
    per configuration (first, halfway, last) and pages are compared with the
    median of the three. Returns each configuration's rows, in their order.
    """
    table = configurations[0].setup["pages"]
    floor = next(index for index, page in enumerate(table) if page["kind"] == "floor")
    pages = [index for index, page in enumerate(table) if page["kind"] != "floor" and wanted(page, options)]
    runs = [
        (index, variant) for index in pages for variant in VARIANTS[table[index]["kind"]] if variant in options.variants
    ]
    halfway = len(runs) // 2
    plan = [(floor, ANONYMOUS), *runs[:halfway], (floor, ANONYMOUS), *runs[halfway:], (floor, ANONYMOUS)]
    count = len(configurations)
    rows: list[list[dict]] = [[] for _ in configurations]
    floors: list[list[dict]] = [[] for _ in configurations]
    for step, (index, variant) in enumerate(plan):
        order = [(step + offset) % count for offset in range(count)]
        tries: list[list[dict]] = [[] for _ in configurations]
        for attempt in range(options.repeat):
            for position in order:
                configuration = configurations[position]
                page = configuration.setup["pages"][index]
                tries[position].append(
                    measure_one(
                        configuration.urls,
                        page,
                        variant,
                        configuration.cookie,
                        options,
                        configuration.label,
                        warm=attempt == 0,
                    )
                )
        for position in range(count):
            best = max(tries[position], key=lambda row: row.get("rps", -1))
            (floors if index == floor else rows)[position].append(best)
    return [compared_with_floor(rows[position], floors[position]) for position in range(count)]


def compared_with_floor(rows: list[dict], floors: list[dict]) -> list[dict]:
    """``rows`` with each page's throughput relative to the median floor, and that floor as the last row."""
    measured = sorted((row for row in floors if "rps" in row), key=lambda row: row["rps"])
    if not measured:
        return [*rows, floors[0]]
    median = {**measured[len(measured) // 2], "floor_samples_rps": [row["rps"] for row in floors if "rps" in row]}
    rows = [*rows, median]
    for row in rows:
        if "rps" in row:
            row["ratio"] = round(row["rps"] / median["rps"], 3)
    return rows


def load_check(base_url: str, setup: dict, env: dict, options: Options, log: Path) -> dict:
    """Readers on every public page while writers approve claims in the same SQLite file; every error counts."""
    paths = [
        page["path"] for page in setup["pages"] if page["kind"] in ("public", "search", "floor") and "path" in page
    ]
    print(
        f"\nUnder load: {options.load_connections} concurrent readers for {options.load_seconds} s "
        f"over {len(paths)} pages, writers approving claims meanwhile"
    )
    with log.open("w") as errors:
        writer = subprocess.Popen(  # noqa: S603
            [PYTHON, str(BASE_DIR / "bench" / "writer.py")],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    if writer.stdout.readline().strip() != "ready":
        writer.kill()
        writer.wait()
        raise BenchError(f"bench/writer.py did not start:\n{log.read_text()[-3000:]}")
    try:
        readers = wrk(
            base_url + paths[0],
            seconds=options.load_seconds,
            threads=options.threads,
            connections=options.load_connections,
            paths=paths,
        )
    finally:
        writer.send_signal(signal.SIGTERM)
        out, _ = writer.communicate(timeout=120)
    lines = out.strip().splitlines()
    writers = json.loads(lines[-1]) if lines else {"writes": 0, "errors": 1, "messages": [log.read_text()[-3000:]]}
    writers["writes_per_second"] = round(writers["writes"] / options.load_seconds, 1)
    passed = readers["errors"] == 0 and writers["errors"] == 0 and writers["writes"] > 0
    return {
        "seconds": options.load_seconds,
        "connections": options.load_connections,
        "paths": paths,
        "readers": readers,
        "writers": writers,
        "status": "PASS" if passed else "MISS",
    }


def switched_off(env: dict, switch: str) -> dict:
    """``env`` with ``switch`` (one of SWITCHES) off, and a shared cache of its own."""
    env = {**env, **SWITCHES[switch]}
    if "DJANGO_CACHE_DIR" in env:
        env["DJANGO_CACHE_DIR"] += f"-without-{switch}"
    if "DJANGO_CACHE_KEY_PREFIX" in env:
        env["DJANGO_CACHE_KEY_PREFIX"] += f"-without-{switch}"
    return env


def configurations(env: dict, compare: list[str]) -> dict[str | None, dict]:
    """Everything on (None), then each of ``compare`` switched off: the environment of each."""
    return {None: env, **{switch: switched_off(env, switch) for switch in compare}}


@dataclass
class Database:
    """One database of a leg, ready to serve: its label, the app's environment on it, its pages and query counts."""

    label: str
    env: dict
    setup: dict
    counts: dict


def staged(label: str, env: dict) -> Database:
    setup = prepare(env)
    return Database(label, env, setup, query_counts(env, setup))


def sorted_out(
    databases: list[Database], served: list[tuple[int, Configuration]], measured: list[list[dict]]
) -> list[dict]:
    """One result per database: its rows with everything on (with query counts), and each switched-off part's."""
    results = [
        {"database": database.label, "claims": database.setup["claims"], "switched_off": {}} for database in databases
    ]
    for (index, configuration), rows in zip(served, measured, strict=True):
        if configuration.switch is None:
            results[index]["rows"] = with_queries(rows, databases[index].counts)
        else:
            results[index]["switched_off"][configuration.switch] = rows
    return results


def sqlite_databases(sources: list[tuple[str, Path]], static_root: Path, work_dir: Path) -> list[Database]:
    """A working copy of each SQLite database of ``sources``, staged."""
    databases = []
    for label, path in sources:
        working_copy = work_dir / f"{label.replace(' ', '-').replace(',', '')}.sqlite3"
        shutil.copyfile(path, working_copy)
        databases.append(staged(label, production_env(working_copy, static_root)))
    return databases


def postgres_databases(stack: ExitStack, sizes: list[tuple[str, int]], static_root: Path, options: Options):
    """A fresh PostgreSQL database per size, built and staged; each is dropped when ``stack`` closes."""
    databases = []
    for label, claims in sizes:
        url = stack.enter_context(postgres_database(options.postgres_url, f"claimtracker_bench_{os.getpid()}_{claims}"))
        build_postgres(url, claims, options.seed)
        databases.append(staged(label, postgres_env(url, static_root, options.redis_url)))
    return databases


def in_process_only(sources: list[tuple[str, Path]], sizes, static_root: Path, work_dir: Path, options: Options):
    """--in-process: each page's queries and in-process time at both sizes on each chosen leg; no server, no wrk."""
    legs = {}
    with ExitStack() as stack:
        if "sqlite" in options.legs:
            print("\n== SQLite: in process ==")
            legs["sqlite"] = sqlite_databases(sources, static_root, work_dir)
        if "postgres" in options.legs:
            print("\n== PostgreSQL + Redis: in process ==")
            empty_redis(options.redis_url)
            legs["postgres"] = postgres_databases(stack, sizes, static_root, options)
    return {name: [database.counts for database in databases] for name, databases in legs.items()}


def serve(databases: list[Database], start, options: Options) -> list[tuple[int, Configuration]]:
    """Every configuration started and logged in: each database with everything on, the large one (the last)
    also with each of --compare off. ``start(env, name, port)`` starts one configuration's instances (the
    first on ``port``, or any free port if 0) and returns their base URLs; one login serves them all, since
    instances of one configuration share its database and cache. Each configuration comes with its
    database's index."""
    large = len(databases) - 1
    served = []
    for index, database in enumerate(databases):
        for switch, env in configurations(database.env, options.compare if index == large else []).items():
            port = options.port if index == large and switch is None else 0
            urls = start(env, f"{index}-{switch or 'all'}", port)
            setup = database.setup
            cookie = log_in(urls[0], setup["login"], setup["analyst"], setup["password"])
            served.append((index, Configuration(database.label, switch, setup, urls, cookie)))
    return served


def everything_on(served: list[tuple[int, Configuration]]) -> Configuration:
    """The large database's configuration with everything on."""
    large = max(index for index, _ in served)
    return next(configuration for index, configuration in served if index == large and configuration.switch is None)


def heading(layout: str, sizes: list[str], compare: list[str]) -> str:
    return (
        f"\n== {layout}: "
        + " and ".join(sizes)
        + ", side by side"
        + "".join(f", and without {switch}" for switch in compare)
        + " =="
    )


def run_sqlite(sources: list[tuple[str, Path]], static_root: Path, work_dir: Path, options: Options) -> list[dict]:
    """Measure every page on a copy of each database, side by side (see ``measure``); one result per database.

    The large database (the last) is also served with each of --compare
    switched off, and with --load gets the load check after the measurements.
    """
    large = len(sources) - 1
    print(heading("SQLite, 1 instance", [label for label, _ in sources], options.compare))
    databases = sqlite_databases(sources, static_root, work_dir)
    with ExitStack() as servers:

        def start(env: dict, name: str, port: int) -> list[str]:
            port = port or free_port()
            return [servers.enter_context(gunicorn(env, port, options, work_dir / f"gunicorn-{name}-{port}.log"))]

        served = serve(databases, start, options)
        results = sorted_out(databases, served, measure([configuration for _, configuration in served], options))
        results[large]["loads"] = []
        if options.load and "sqlite-path" in options.load_with:
            database = databases[large]
            base_url = everything_on(served).urls[0]
            results[large]["loads"].append(
                {
                    "configuration": "sqlite-path",
                    **load_check(base_url, database.setup, database.env, options, work_dir / "writer.log"),
                }
            )
    if options.load:
        for configuration in options.load_with:
            if configuration != "sqlite-path":
                results[large]["loads"].append(
                    load_in(configuration, sources[large][1], static_root, work_dir, options)
                )
    return results


def load_in(configuration: str, path: Path, static_root: Path, work_dir: Path, options: Options) -> dict:
    """The load check on a fresh copy of ``path``, served and written in ``configuration``."""
    working_copy = work_dir / f"load-{configuration}.sqlite3"
    shutil.copyfile(path, working_copy)
    env = production_env(working_copy, static_root)
    if configuration == "sqlite-url":
        del env["DJANGO_SQLITE_PATH"]
        env["DATABASE_URL"] = f"sqlite:///{working_copy}"
    elif configuration == "redis":
        env["REDIS_URL"] = options.redis_url
        empty_redis(options.redis_url)
    print(f"\n== load check with {LOAD_CONFIGURATIONS[configuration]} ==")
    setup = prepare(env)
    port = options.port or free_port()
    with gunicorn(env, port, options, work_dir / f"gunicorn-{configuration}-{port}.log") as base_url:
        return {"configuration": configuration, **load_check(base_url, setup, env, options, work_dir / "writer.log")}


@contextmanager
def two_instances(env: dict, work_dir: Path, options: Options, name: str, first_port: int = 0):
    """Two gunicorn instances sharing ``env``'s database and Redis; yields their base URLs."""
    port_a = first_port or free_port()
    port_b = free_port()
    with (
        gunicorn(env, port_a, options, work_dir / f"gunicorn-a-{name}-{port_a}.log") as instance_a,
        gunicorn(env, port_b, options, work_dir / f"gunicorn-b-{name}-{port_b}.log") as instance_b,
    ):
        yield [instance_a, instance_b]


def run_postgres(sizes: list[tuple[str, int]], static_root: Path, work_dir: Path, options: Options) -> list[dict]:
    """Build a fresh PostgreSQL database per size, serve each with two instances sharing Redis, measure side by side.

    The cross-instance check follows the measurements, on the large database
    (the last). Each of --compare switched off gets two instances of its own on
    the large database and Redis (under its own key prefix), measured page by
    page alongside. Every database and instance has a key prefix of its own.
    """
    large = len(sizes) - 1
    print(heading("PostgreSQL + Redis, 2 instances", [label for label, _ in sizes], options.compare))
    with ExitStack() as stack:
        empty_redis(options.redis_url)
        databases = postgres_databases(stack, sizes, static_root, options)
        # Servers stop (in reverse order) before the databases are dropped.
        served = serve(
            databases,
            lambda env, name, port: stack.enter_context(two_instances(env, work_dir, options, name, port)),
            options,
        )
        results = sorted_out(databases, served, measure([configuration for _, configuration in served], options))
        checked = everything_on(served)
        instance_a, instance_b = checked.urls
        results[large]["cross_instance"] = cross_instance_check(
            instance_a, instance_b, databases[large].env, databases[large].setup, checked.cookie, options
        )
    return results


# ---------------------------------------------------------------------------
# The cross-instance check


def run_in_app(script: str, *args: str, env: dict) -> str:
    """What ``bench/<script>`` prints, run with ``args`` in the app's environment ``env``; BenchError if it fails."""
    completed = subprocess.run(  # noqa: S603
        [PYTHON, str(BASE_DIR / "bench" / script), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise BenchError(f"bench/{script} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout


def page_text(url: str, cookie: str | None) -> str:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.build_opener(NoRedirects).open(request, timeout=30) as response:
        return response.read().decode()


def review_through(base_url: str, queue: str, cookie: str, item: str, action: str) -> None:
    """Act on one queue item as a reviewer would: the queue's form, its CSRF token, a POST."""
    url = base_url + queue
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text(url, cookie))
    if not token:
        raise BenchError(f"No CSRF token in the review queue at {url}.")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "action": action, "item": item}).encode()
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie, "Referer": url})  # noqa: S310
    try:
        urllib.request.build_opener(NoRedirects).open(request, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise BenchError(f"The review queue answered {action} with HTTP {error.code}.") from None


def cross_instance_check(
    instance_a: str, instance_b: str, env: dict, setup: dict, analyst_cookie: str, options: Options
) -> dict:
    """An approval through A shows on B at once (a stale page only within the grace), a withdrawal never stale.

    Readers of B, anonymous and logged in, first read the page enough times for
    every worker of B to keep it (in memory and in the shared cache). A reviewer
    approves a stance through A's review queue; B is read until the claim shows,
    for at most the grace and a second; every request made after the grace must
    show it. The reviewer then returns the stance to draft through A, and from
    B's very next request on no request may show it.
    """
    print("\nCross-instance check: approve and withdraw through instance A, read through instance B")
    check = json.loads(run_in_app("cross_instance.py", env=env))
    reviewer_cookie = log_in(instance_a, setup["login"], check["reviewer"], check["password"])
    page, mark = instance_b + check["page"], check["mark"]
    readers = {ANONYMOUS: None, LOGGED_IN: analyst_cookie}
    every_worker = 4 * options.workers * options.worker_threads
    failures: list[str] = []
    result: dict = {"page": check["page"], "grace_seconds": GRACE_SECONDS}

    for variant, cookie in readers.items():
        if any(mark in page_text(page, cookie) for _ in range(every_worker)):
            failures.append(f"{variant}: the claim showed on B before its approval")

    review_through(instance_a, check["queue"], reviewer_cookie, check["item"], "approve")
    approved_at = time.monotonic()
    next_requests = {variant: mark in page_text(page, cookie) for variant, cookie in readers.items()}
    for variant, cookie in readers.items():
        seen, requests = next_requests[variant], 1
        while not seen and time.monotonic() - approved_at < GRACE_SECONDS + 1:
            seen, requests = mark in page_text(page, cookie), requests + 1
        shown_at = time.monotonic()
        stale_after_grace = [
            at
            for at, shown in ((time.monotonic(), mark in page_text(page, cookie)) for _ in range(every_worker))
            if not shown and at - approved_at > GRACE_SECONDS
        ]
        result[f"approval_{variant.replace(' ', '_')}"] = {
            "next_request_showed_it": next_requests[variant],
            "shown_after_requests": requests if seen else None,
            # Only when the next request did not show it: otherwise this is the time spent on the other reader.
            "shown_after_ms": None if next_requests[variant] or not seen else round((shown_at - approved_at) * 1000),
        }
        if not seen:
            state = run_in_app("cross_instance.py", "state", str(check["stance"]), env=env).strip()
            failures.append(
                f"{variant}: the approval did not show on B within {GRACE_SECONDS + 1} s (the stance is {state})"
            )
        elif stale_after_grace:
            failures.append(f"{variant}: B served the page without the approval more than {GRACE_SECONDS} s after it")

    review_through(instance_a, check["queue"], reviewer_cookie, check["item"], "return_to_draft")
    for variant, cookie in readers.items():
        stale = sum(mark in page_text(page, cookie) for _ in range(every_worker))
        result[f"withdrawal_{variant.replace(' ', '_')}"] = {"requests": every_worker, "stale": stale}
        if stale:
            failures.append(f"{variant}: {stale} of {every_worker} requests to B showed the withdrawn claim")

    result["failures"] = failures
    result["status"] = "FAIL" if failures else "PASS"
    return result


def empty_redis(url: str) -> None:
    """Start from an empty cache: pages of an earlier run would otherwise be served as current."""
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis at {url} does not answer ({error}); start it or pass --redis-url.") from None


# ---------------------------------------------------------------------------
# Report


def key(row: dict) -> tuple[str, str]:
    return row["page"], row["variant"]


def compare(empty: dict, large: dict) -> list[dict]:
    """Each page's figures side by side, with its p95 growth from the empty database to the large one."""
    before = {key(row): row for row in empty["rows"]}
    table = []
    for row in large["rows"]:
        small = before.get(key(row), {})
        entry = {"page": row["page"], "kind": row["kind"], "variant": row["variant"], "empty": small, "large": row}
        if row.get("p95") is not None and small.get("p95"):
            entry["p95_growth"] = round(row["p95"] / small["p95"] - 1, 3)
        served = [side.get("queries", {}).get("served_ms") for side in (small, row)]
        if all(served):
            entry["served_ms_growth"] = round(served[1] / served[0] - 1, 3)
        table.append(entry)
    return table


def counted_rows(counts: dict) -> list[dict]:
    """bench/queries.py's counts and times as report rows without wrk's figures (--in-process)."""
    return [
        {"page": page, "kind": "", "variant": variant, "queries": counted}
        for page, variants in counts.items()
        for variant, counted in variants.items()
    ]


def switch_comparison(on: list[dict], off: list[dict]) -> list[dict]:
    """Each page with everything on and with one switch off, and how req/s and p95 changed without it."""
    with_it = {key(row): row for row in on}
    table = []
    for row in off:
        before = with_it.get(key(row), {})
        entry = {"page": row["page"], "variant": row["variant"], "on": before, "off": row}
        if before.get("rps") and row.get("rps") is not None:
            entry["rps_change"] = round(row["rps"] / before["rps"] - 1, 3)
        if before.get("p95") and row.get("p95") is not None:
            entry["p95_change"] = round(row["p95"] / before["p95"] - 1, 3)
        table.append(entry)
    return table


def targets(table: list[dict]) -> list[dict]:
    """PASS or MISS for every target of the issue that applies to each page; MISSING where a page is not there.

    A page that gave no response within the run has no latency and misses.
    """
    checks = []

    def check(entry: dict, target: str, value, passed) -> None:
        measured = "rps" in entry["large"] and ("growth" not in target or "rps" in entry["empty"])
        status = "MISSING" if not measured else "PASS" if passed else "MISS"
        checks.append(
            {"page": entry["page"], "variant": entry["variant"], "target": target, "value": value, "status": status}
        )

    for entry in table:
        kind, variant, large = entry["kind"], entry["variant"], entry["large"]
        ratio, p95 = large.get("ratio"), large.get("p95")
        if kind == "public" and variant == ANONYMOUS:
            check(entry, f"≥ {ANONYMOUS_RATIO}× floor", ratio, ratio is not None and ratio >= ANONYMOUS_RATIO)
        if kind == "public" and variant == LOGGED_IN:
            check(entry, f"≥ {LOGGED_IN_RATIO}× floor", ratio, ratio is not None and ratio >= LOGGED_IN_RATIO)
        if kind == "search":
            check(entry, f"p95 < {SEARCH_P95_MS} ms", p95, p95 is not None and p95 < SEARCH_P95_MS)
        if kind == "desk":
            check(entry, f"p95 < {DESK_P95_MS} ms", p95, p95 is not None and p95 < DESK_P95_MS)
        if kind not in ("floor", "static"):
            growth = entry.get("p95_growth")
            check(entry, f"p95 growth ≤ {MAX_P95_GROWTH:.0%}", growth, growth is not None and growth <= MAX_P95_GROWTH)
    return checks


def ms(value: float | None, width: int = 6) -> str:
    return f"{'-' if value is None else f'{value:.1f}':>{width}}"


def figures(row: dict) -> str:
    if "rps" not in row:
        return f"{'missing':>8} {'':>6} {'':>6} {'':>6} {'':>6}"
    ratio = f"{row['ratio']:.2f}" if "ratio" in row else "-"
    return f"{row['rps']:>8.0f} {ms(row['p50'])} {ms(row['p95'])} {ms(row['p99'])} {ratio:>6}"


def queries(row: dict) -> str:
    """A page's database queries: rendered / served (see bench/queries.py); empty where not counted."""
    counted = row.get("queries")
    return f"{counted['rendered']}/{counted['served']}" if counted else ""


def leg_figures(entry: dict | None) -> str:
    """One leg's cells of a row: empty req/s and p95, then the large database's req/s, p50, p95, p99, ×floor, growth
    and queries."""
    if entry is None:
        return f"{'':>59}"
    empty, large = entry["empty"], entry["large"]
    before = f"{empty['rps']:>6.0f} {ms(empty['p95'])}" if "rps" in empty else f"{'-':>6} {'':>6}"
    if "rps" not in large:
        return f"{before} {large.get('missing', 'missing')[:45]:>45}"
    ratio = f"{large['ratio']:.2f}" if "ratio" in large else "-"
    growth = f"{entry['p95_growth']:+.0%}" if "p95_growth" in entry else ""
    return (
        f"{before} {large['rps']:>6.0f} {ms(large['p50'])} {ms(large['p95'])} {ms(large['p99'])} {ratio:>5} {growth:>5}"
        f" {queries(large):>7}"
    )


def rows_side_by_side(report: dict) -> list[tuple[str, str, list[dict | None]]]:
    """(page, variant, each leg's entry or None), in the order of the first leg's table."""
    legs = list(report["legs"].values())
    keyed = [{key(entry): entry for entry in leg["table"]} for leg in legs]
    order = list(dict.fromkeys(key(entry) for leg in legs for entry in leg["table"]))
    return [(page, variant, [entries.get((page, variant)) for entries in keyed]) for page, variant in order]


def print_report(report: dict) -> None:
    legs = report["legs"]
    print("\nLatency in ms; × floor is throughput relative to /healthz on the same leg and database.")
    for name, leg in legs.items():
        empty, large = leg["databases"]
        print(f"  {name}: {LEGS[name]}; empty: {empty['claims']:,} claims, large: {large['claims']:,} claims")
    header = (
        f"{'req/s':>6} {'p95':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'×flr':>5} {'grow':>5} {'queries':>7}"
    )
    print("Queries: database queries of one request, rendered (every cache empty) / served (its page kept).")
    print(f"{'':<28} {'':<10} " + " ".join(f"| {LEGS[name]:^59}" for name in legs))
    print(f"{'':<28} {'':<10} " + " ".join(f"| {'empty':^13} {'large':^45}" for _ in legs))
    print(f"{'page':<28} {'variant':<10} " + " ".join(f"| {header}" for _ in legs))
    for page, variant, entries in rows_side_by_side(report):
        print(f"{page:<28} {variant:<10} " + " ".join(f"| {leg_figures(entry)}" for entry in entries))
    for name, leg in legs.items():
        print(f"\nTargets ({LEGS[name]}, large database):")
        for item in leg["targets"]:
            value = item["value"]
            shown = "" if value is None else f"{value:+.0%}" if "growth" in item["target"] else f"{value:g}"
            if item["status"] != "PASS":
                print(f"  {item['status']:<8} {item['page']:<28} {item['variant']:<10} {item['target']:<22} {shown}")
        missed = [item for item in leg["targets"] if item["status"] != "PASS"]
        print(f"  {len(leg['targets']) - len(missed)} of {len(leg['targets'])} targets met.")
    print_in_process(report)
    for name, leg in legs.items():
        for switch, table in leg.get("switched_off", {}).items():
            print_switch_comparison(f"{LEGS[name]}, {leg['databases'][1]['claims']:,} claims", switch, table)
    for load in report.get("loads", []):
        readers, writers = load["readers"], load["writers"]
        print(
            f"\nUnder load ({load['connections']} readers, {load['seconds']} s, writers active), "
            f"{LOAD_CONFIGURATIONS[load['configuration']]}: {load['status']}\n"
            f"  readers: {readers['requests']:,} requests, {readers['rps']:.0f} req/s, p50 {ms(readers['p50'], 0)} / "
            f"p95 {ms(readers['p95'], 0)} / p99 {ms(readers['p99'], 0)} ms, errors: {readers['errors']} {readers['error_kinds']}\n"
            f"  writers: {writers['writes']:,} claim+stance approvals ({writers['writes_per_second']}/s), errors: {writers['errors']}"
        )
        for message in writers.get("messages", []):
            print(f"    {message}")
    if "cross_instance" in report:
        check = report["cross_instance"]
        print(f"\nCross-instance check (approve and withdraw through A, read through B): {check['status']}")
        for variant in (ANONYMOUS, LOGGED_IN):
            shown = check[f"approval_{variant.replace(' ', '_')}"]
            withdrawn = check[f"withdrawal_{variant.replace(' ', '_')}"]
            when = (
                "by B's next request"
                if shown["next_request_showed_it"]
                else "not within the grace"
                if shown["shown_after_requests"] is None
                else f"after {shown['shown_after_requests']} requests, {shown['shown_after_ms']} ms"
            )
            print(
                f"  {variant:<10} approval shown {when}; after the withdrawal "
                f"{withdrawn['stale']} of {withdrawn['requests']} requests stale"
            )
        for failure in check["failures"]:
            print(f"  FAIL: {failure}")


def print_in_process(report: dict) -> None:
    """Each page's in-process time for one served request at both sizes, and its change, legs side by side."""
    legs = report["legs"]
    print("\nIn process: one served request, ms (bench/queries.py: best of its batches; no server, network or wrk)")
    print(f"{'page':<28} {'variant':<10} " + " ".join(f"| {LEGS[name][:22]:<22}" for name in legs))
    print(f"{'':<28} {'':<10} " + " ".join(f"| {'empty':>6} {'large':>6} {'change':>7}" for _ in legs))
    for page, variant, entries in rows_side_by_side(report):
        if not any((entry or {}).get(size, {}).get("queries") for entry in entries for size in ("empty", "large")):
            continue  # the floor and the static file: nothing of the app's to time
        cells = []
        for entry in entries:
            times = [(entry or {}).get(size, {}).get("queries", {}).get("served_ms") for size in ("empty", "large")]
            growth = (entry or {}).get("served_ms_growth")
            shown = [f"{value:>6.2f}" if value else f"{'':>6}" for value in times]
            cells.append(f"| {shown[0]} {shown[1]} {'' if growth is None else f'{growth:+.0%}':>7}")
        print(f"{page:<28} {variant:<10} " + " ".join(cells))


def print_switch_comparison(where: str, switch: str, table: list[dict]) -> None:
    print(f"\nWith and without {switch} ({where}), measured one after the other:")
    print(f"{'page':<28} {'variant':<10} | {'with':^20} | {'without':^20} | {'change':^13}")
    print(
        f"{'':<28} {'':<10} | {'req/s':>6} {'p95':>6} {'×flr':>6} | {'req/s':>6} {'p95':>6} {'×flr':>6} | {'req/s':>6} {'p95':>6}"
    )

    def cells(row: dict) -> str:
        if "rps" not in row:
            return f"{'-':>6} {'':>6} {'':>6}"
        ratio = f"{row['ratio']:.2f}" if "ratio" in row else "-"
        return f"{row['rps']:>6.0f} {ms(row['p95'])} {ratio:>6}"

    for entry in table:
        rps = f"{entry['rps_change']:+.0%}" if "rps_change" in entry else ""
        p95 = f"{entry['p95_change']:+.0%}" if "p95_change" in entry else ""
        print(
            f"{entry['page']:<28} {entry['variant']:<10} | {cells(entry['on'])} | {cells(entry['off'])} | "
            f"{rps:>6} {p95:>6}"
        )


def markdown_cells(entry: dict | None) -> list[str]:
    if entry is None or "rps" not in entry["large"]:
        return [""] * 9
    empty, large = entry["empty"], entry["large"]

    def number(value, digits=1):
        return "" if value is None else f"{value:.{digits}f}"

    growth = entry.get("p95_growth")
    return [
        number(empty.get("rps"), 0),
        number(empty.get("p95")),
        number(large["rps"], 0),
        number(large["p50"]),
        number(large["p95"]),
        number(large["p99"]),
        number(large.get("ratio"), 2),
        "" if growth is None else f"{growth:+.0%}".replace("-", "−"),
        queries(large).replace("/", " / "),
    ]


def markdown_table(report: dict) -> str:
    """The README's table: each leg's columns side by side, and the response size at the large database."""
    legs = report["legs"]
    short = {"sqlite": "SQLite", "postgres": "PG+Redis"}
    size = "100k" if next(iter(legs.values()))["databases"][1]["claims"] >= 100_000 else "large"
    columns = ["empty req/s", "empty p95", f"{size} req/s", f"{size} p50", f"{size} p95", f"{size} p99", "× floor"]
    columns += ["p95 growth", f"{size} queries"]
    header = ["page", "variant", *[f"{short[name]} {column}" for name in legs for column in columns], "KB"]
    lines = ["| " + " | ".join(header) + " |", "|---|---|" + "--:|" * (len(header) - 2)]
    for page, variant, entries in rows_side_by_side(report):
        kb = next(
            (entry["large"].get("kb_per_response") for entry in entries if entry and "rps" in entry["large"]), None
        )
        cells = [
            page,
            variant,
            *[cell for entry in entries for cell in markdown_cells(entry)],
            f"{kb:.0f}" if kb else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine(wrk_version: str) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpu = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    return {
        "cpu": cpu[1] if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory[1]) / 1024**2, 1) if memory else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("Django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version,
        # The benchmark shares the machine with whatever else runs: a busy machine shows here.
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
    }


def write_results(report: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    latest = RESULTS_DIR / "latest.json"
    text = json.dumps(report, indent=2, ensure_ascii=False)
    latest.write_text(text)
    (RESULTS_DIR / f"{report['started'].replace(':', '')}.json").write_text(text)
    return latest


def main() -> None:
    options = parse_options()
    wrk_version = require_wrk()
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    load_at_start = [round(load, 2) for load in os.getloadavg()]
    sizes = [("empty", 0), (f"{options.claims:,} claims", options.claims)]
    if "sqlite" in options.legs:
        databases = [(label, database(claims, options.seed, rebuild=options.rebuild)) for label, claims in sizes]
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        work_dir = Path(work)
        static_root = work_dir / "static"
        print("Collecting static files")
        manage(
            "collectstatic", "--noinput", "-v0",
            env=production_env(work_dir / "unused.sqlite3", static_root),
        )  # fmt: skip
        if options.in_process:
            counts = in_process_only(
                databases if "sqlite" in options.legs else [], sizes, static_root, work_dir, options
            )
            tables = {
                name: compare({"rows": counted_rows(empty)}, {"rows": counted_rows(large)})
                for name, (empty, large) in counts.items()
            }
            report = {
                "started": started,
                "machine": {**machine(wrk_version), "load_average_at_start": load_at_start},
                "legs": {name: {"table": table} for name, table in tables.items()},
            }
            print_in_process(report)
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            written = RESULTS_DIR / "in-process.json"
            written.write_text(json.dumps(report, indent=2, ensure_ascii=False))
            print(f"\nWritten to {written.relative_to(BASE_DIR)}")
            return
        # Each switch is compared at the large database only, where the targets apply.
        if "sqlite" in options.legs:
            results["sqlite"] = run_sqlite(databases, static_root, work_dir, options)
        if "postgres" in options.legs:
            results["postgres"] = run_postgres(sizes, static_root, work_dir, options)
    legs = {}
    for name, (empty, large) in results.items():
        table = compare(empty, large)
        legs[name] = {
            "layout": LEGS[name],
            "databases": [{"database": result["database"], "claims": result["claims"]} for result in (empty, large)],
            "table": table,
            "targets": targets(table),
            "switched_off": {
                switch: switch_comparison(large["rows"], rows) for switch, rows in large["switched_off"].items()
            },
        }
    report = {
        "started": started,
        "machine": {**machine(wrk_version), "load_average_at_start": load_at_start},
        "settings": {
            "duration_seconds": options.duration,
            "wrk_threads": options.threads,
            "wrk_connections": options.connections,
            "gunicorn": f"{options.workers} gthread workers × {options.worker_threads} threads per instance",
            "legs": {
                "sqlite": "SQLite (WAL), page cache in a file cache shared by the workers, 1 instance",
                "postgres": "PostgreSQL (fresh database), Redis (shared cache and sessions), 2 instances; "
                "wrk drives both at once with half the connections each; latency is the worse instance's",
            },
            "production_settings": "DEBUG off",
            "compared_without": options.compare,
            "seed": options.seed,
        },
        "legs": legs,
    }
    if options.load and "sqlite" in results:
        report["loads"] = results["sqlite"][1]["loads"]
    if "postgres" in results:
        report["cross_instance"] = results["postgres"][1]["cross_instance"]
    print_report(report)
    print("\n" + markdown_table(report))
    print(f"\nWritten to {write_results(report).relative_to(BASE_DIR)}")
    if report.get("cross_instance", {}).get("status") == "FAIL":
        raise BenchError("the cross-instance check failed: " + "; ".join(report["cross_instance"]["failures"]))


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"bench: {error}")
