"""make bench: throughput and latency of every page, at an empty database and at 100,000 claims.

For each database (built once, then cached in var/bench/): copy it, collect
the static files, serve the app with gunicorn on loopback under production
settings, log an analyst in through the login form, and measure each page in
bench/pages.py with wrk. Prints one table with each page's requests per second,
p50/p95/p99 latency and throughput relative to /healthz (the framework floor),
checks the targets of the performance issue, and writes everything as JSON to
bench/results/latest.json. With --load it also runs 50 concurrent readers for
60 seconds against the large database while writers approve claims, and
reports every error; it does so once per way of configuring the database and
the cache (LOAD_CONFIGURATIONS), since each has failed on its own before.

Usage: .venv/bin/python bench/run.py [--claims 100000] [--seed 1] [--duration 5] [--load]
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
from contextlib import contextmanager
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
    "floor": [ANONYMOUS],
    "static": [ANONYMOUS],
}
# The targets of the performance issue (at the large database).
CACHED_RATIO, UNCACHED_RATIO = 0.5, 0.25
SEARCH_P95_MS, DESK_P95_MS = 50, 150
MAX_P95_GROWTH = 0.5
# The load check runs once per configuration: SQLite named by DJANGO_SQLITE_PATH or by
# DATABASE_URL, and the shared cache in files or in Redis.
LOAD_CONFIGURATIONS = {
    "sqlite-path": "DJANGO_SQLITE_PATH, file cache",
    "sqlite-url": "DATABASE_URL=sqlite:///…, file cache",
    "redis": "DJANGO_SQLITE_PATH, REDIS_URL",
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
    load_with: list[str]
    redis_url: str


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
    parser.add_argument("--repeat", type=int, default=1, help="runs per page; the best one counts (default 1)")
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
        help="the Redis database the redis configuration uses; it is emptied first (default redis://127.0.0.1:6379/14)",
    )
    options = Options(**vars(parser.parse_args()))
    options.load_with = options.load_with or list(LOAD_CONFIGURATIONS)
    if "redis" in options.load_with and urllib.parse.urlsplit(options.redis_url).path.strip("/") in ("", "0"):
        parser.error("--redis-url must name a Redis database other than 0: the benchmark empties it")
    return options


# ---------------------------------------------------------------------------
# Databases


def app_env(**extra: str) -> dict:
    """The environment for the app's own processes: SQLite, nothing inherited that would point elsewhere."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
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


def count_claims(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        count = connection.execute("SELECT count(*) FROM claims_claim").fetchone()[0]
    connection.close()
    return count


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
    )


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


def prepare(env: dict) -> dict:
    completed = subprocess.run(  # noqa: S603
        [PYTHON, str(BASE_DIR / "bench" / "prepare.py")],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise BenchError(f"bench/prepare.py failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout)


def wanted(page: dict, options: Options) -> bool:
    """Every page, or those --page names (the floor is measured regardless: every ratio needs it)."""
    return not options.pages or any(name in page["name"] for name in options.pages)


def measure_one(base_url: str, page: dict, variant: str, cookie: str, options: Options) -> dict:
    """One page in one variant, the best of --repeat runs (by throughput); a missing page is recorded, not measured."""
    row = {"page": page["name"], "kind": page["kind"], "variant": variant, "path": page.get("path")}
    if "missing" in page:
        row["missing"] = page["missing"]
    else:
        session = cookie if variant == LOGGED_IN else None
        url = base_url + page["path"]
        status = status_of(url, session)
        if status != 200:
            row["missing"] = "not found (404)" if status == 404 else f"HTTP {status}"
        else:
            runs = {"threads": options.threads, "connections": options.connections, "cookie": session}
            if options.warmup:
                wrk(url, seconds=options.warmup, **runs)
            results = [wrk(url, seconds=options.duration, **runs) for _ in range(options.repeat)]
            row.update(max(results, key=lambda result: result["rps"]))
    if "missing" in row:
        print(f"  {page['name']:<28} {variant:<10} missing: {row['missing']}")
    else:
        print(
            f"  {page['name']:<28} {variant:<10} {row['rps']:>8.0f} req/s  p50 {ms(row['p50'], 7)}  "
            f"p95 {ms(row['p95'], 7)}  p99 {ms(row['p99'], 7)} ms"
            + (f"  {row['errors']} errors" if row["errors"] else "")
        )
    return row


def measure(base_url: str, setup: dict, cookie: str, options: Options) -> list[dict]:
    """Every chosen page in every variant that applies to it, each compared with the framework floor.

    The machine may be shared, so the floor is measured three times (first,
    halfway, last) and pages are compared with the median of the three.
    """
    floor = next(page for page in setup["pages"] if page["kind"] == "floor")
    pages = [page for page in setup["pages"] if page["kind"] != "floor" and wanted(page, options)]
    runs = [(page, variant) for page in pages for variant in VARIANTS[page["kind"]]]
    halfway = len(runs) // 2
    floors = [measure_one(base_url, floor, ANONYMOUS, cookie, options)]
    rows = [measure_one(base_url, page, variant, cookie, options) for page, variant in runs[:halfway]]
    floors.append(measure_one(base_url, floor, ANONYMOUS, cookie, options))
    rows += [measure_one(base_url, page, variant, cookie, options) for page, variant in runs[halfway:]]
    floors.append(measure_one(base_url, floor, ANONYMOUS, cookie, options))
    measured = sorted((row for row in floors if "rps" in row), key=lambda row: row["rps"])
    if measured:
        median = {**measured[len(measured) // 2], "floor_samples_rps": [row["rps"] for row in floors if "rps" in row]}
        rows.append(median)
        for row in rows:
            if "rps" in row:
                row["ratio"] = round(row["rps"] / median["rps"], 3)
    else:
        rows.append(floors[0])
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


def run_database(label: str, path: Path, static_root: Path, work_dir: Path, options: Options, *, load: bool) -> dict:
    print(f"\n== {label}: {count_claims(path):,} claims ==")
    working_copy = work_dir / f"{label.replace(' ', '-')}.sqlite3"
    shutil.copyfile(path, working_copy)
    env = production_env(working_copy, static_root)
    setup = prepare(env)
    port = options.port or free_port()
    with gunicorn(env, port, options, work_dir / f"gunicorn-{port}.log") as base_url:
        cookie = log_in(base_url, setup["login"], setup["analyst"], setup["password"])
        rows = measure(base_url, setup, cookie, options)
        result = {"database": label, "claims": count_claims(working_copy), "rows": rows, "loads": []}
        if load and "sqlite-path" in options.load_with:
            result["loads"].append(
                {"configuration": "sqlite-path", **load_check(base_url, setup, env, options, work_dir / "writer.log")}
            )
    if load:
        for configuration in options.load_with:
            if configuration != "sqlite-path":
                result["loads"].append(load_in(configuration, path, static_root, work_dir, options))
    return result


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
            check(entry, f"cached ≥ {CACHED_RATIO}× floor", ratio, ratio is not None and ratio >= CACHED_RATIO)
        if kind == "public" and variant == LOGGED_IN:
            check(entry, f"uncached ≥ {UNCACHED_RATIO}× floor", ratio, ratio is not None and ratio >= UNCACHED_RATIO)
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


def print_report(report: dict) -> None:
    empty, large = report["databases"]
    header = f"{'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'×floor':>6}"
    print(
        f"\nLatency in ms. Empty: {empty['claims']:,} claims (seeds + fixed benchmark set); large: {large['claims']:,} claims."
    )
    print(f"{'page':<28} {'variant':<10} | {'empty database':^37} | {'large database':^37} | p95 growth")
    print(f"{'':<28} {'':<10} | {header} | {header} |")
    for entry in report["table"]:
        growth = f"{entry['p95_growth']:+.0%}" if "p95_growth" in entry else ""
        print(
            f"{entry['page']:<28} {entry['variant']:<10} | {figures(entry['empty'])} | {figures(entry['large'])} | {growth:>10}"
        )
    print("\nTargets (large database):")
    for item in report["targets"]:
        value = item["value"]
        shown = "" if value is None else f"{value:+.0%}" if "growth" in item["target"] else f"{value:g}"
        print(f"  {item['status']:<8} {item['page']:<28} {item['variant']:<10} {item['target']:<22} {shown}")
    missed = [item for item in report["targets"] if item["status"] != "PASS"]
    print(f"  {len(report['targets']) - len(missed)} of {len(report['targets'])} targets met.")
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
    databases = [
        ("empty", database(0, options.seed, rebuild=options.rebuild)),
        (f"{options.claims:,} claims", database(options.claims, options.seed, rebuild=options.rebuild)),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        work_dir = Path(work)
        static_root = work_dir / "static"
        print("Collecting static files")
        manage(
            "collectstatic", "--noinput", "-v0",
            env=production_env(work_dir / "unused.sqlite3", static_root),
        )  # fmt: skip
        results = [
            run_database(label, path, static_root, work_dir, options, load=options.load and index == 1)
            for index, (label, path) in enumerate(databases)
        ]
    table = compare(*results)
    report = {
        "started": started,
        "machine": {**machine(wrk_version), "load_average_at_start": load_at_start},
        "settings": {
            "duration_seconds": options.duration,
            "wrk_threads": options.threads,
            "wrk_connections": options.connections,
            "gunicorn": f"{options.workers} gthread workers × {options.worker_threads} threads",
            "database": "SQLite (WAL), production settings (DEBUG off), page cache in a file cache shared by the workers",
            "seed": options.seed,
        },
        "databases": [{"database": result["database"], "claims": result["claims"]} for result in results],
        "table": table,
        "targets": targets(table),
    }
    if options.load:
        report["loads"] = results[1]["loads"]
    print_report(report)
    print(f"\nWritten to {write_results(report).relative_to(BASE_DIR)}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        sys.exit(f"bench: {error}")
