# The two commands: `make run` and `make test`. Both are idempotent and fast on a second run.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ on PATH (pyenv shims included).
PYTHON := $(shell for candidate in python3.14 python3.13 python3.12 python3 python; do \
	if command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		command -v $$candidate; break; fi; done)

.PHONY: run test test-fast lint format bench bench-quick bench-million wrk chromium gettext catalogues messages seeds demo-users check-deploy clean

$(VENV)/bin/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is required and none was found on PATH (tried python3.14 … python3)." >&2; \
		echo "       Install it (e.g. 'pyenv install 3.12' or your system's python3.12 package) and run make again." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

# The development server, and beside it the task worker that delivers webhooks; the trap stops the
# worker when the server stops, however it stops.
run: $(VENV)/.runtime catalogues
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_users
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop); the task worker delivers webhooks beside it"
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev chromium catalogues
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

# Everything `make test` runs except the browser tests: no Chromium needed.
test-fast: $(VENV)/.dev catalogues
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -m "not browser"

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Performance table at an empty database and at 100,000 claims, on SQLite and on PostgreSQL +
# Redis with two instances (and the cross-instance check), then 50 readers for 60 s with writers
# active. The load generator is Debian's wrk, installed if missing.
# Three turns per page on each database, the best counting: one run of a few seconds on shared cores
# swings by tens of per cent, which the p95 growth target cannot tell from the code (README, Performance).
bench: $(VENV)/.dev wrk
	$(PY) bench/run.py --load --repeat 3

bench-quick: $(VENV)/.dev wrk
	$(PY) bench/run.py

# Once, by hand, never in CI: both legs at 1,000,000 claims (an hour or more; see README, Performance).
bench-million: $(VENV)/.dev wrk
	$(PY) bench/run.py --claims 1000000

wrk:
	@command -v wrk >/dev/null 2>&1 || { echo "== installing wrk from Debian packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# The browser tests drive Debian's Chromium and need the Noto fonts (Arabic-script pages, stable
# layouts); both are installed if missing. A Chromium named by CHROMIUM_PATH is used as it is.
NOTO_FONT := /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
chromium:
	@missing=""; \
	if [ -z "$$CHROMIUM_PATH" ] && [ ! -x /usr/bin/chromium ]; then missing="chromium"; fi; \
	if [ ! -f $(NOTO_FONT) ]; then missing="$$missing fonts-noto-core"; fi; \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null 2>&1; then \
			echo "error: the browser tests need Chromium and the Noto fonts ($$missing), and apt-get is not here." >&2; \
			echo "       Install them, set CHROMIUM_PATH to your Chromium, or run 'make test-fast'." >&2; \
			exit 1; fi; \
		sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
		echo "== installing$$missing from Debian packages"; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The translation catalogues: locale/<lang>/LC_MESSAGES/django.po are kept in the tree, the compiled
# .mo files are not; they are compiled here (GNU gettext's msgfmt, installed from Debian packages if
# missing). `make messages` gathers the marked strings of the code and templates into the .po files.
MESSAGE_IGNORES := --ignore='.venv/*' --ignore='bench/*' --ignore='tests/*' --ignore='staticfiles/*' --ignore='var/*'

gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
		if ! command -v apt-get >/dev/null 2>&1; then \
			echo "error: compiling the translations needs GNU gettext (msgfmt), and apt-get is not here; install gettext." >&2; \
			exit 1; fi; \
		sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
		echo "== installing gettext from Debian packages"; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

catalogues: $(VENV)/.runtime gettext
	$(PY) manage.py compilemessages --verbosity 0 $(MESSAGE_IGNORES)

messages: $(VENV)/.runtime gettext
	$(PY) manage.py makemessages -l ur -l fa -l ps --no-obsolete $(MESSAGE_IGNORES)

seeds: $(VENV)/.runtime
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_seeds

demo-users: $(VENV)/.runtime
	$(PY) manage.py create_demo_users

check-deploy: $(VENV)/.runtime
	DJANGO_DEBUG=off DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		DJANGO_ALLOWED_HOSTS=example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
