# The two commands: `make run` and `make test`. Both are idempotent and fast on a second run.

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ on PATH (pyenv shims included).
PYTHON := $(shell for candidate in python3.14 python3.13 python3.12 python3 python; do \
	if command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		command -v $$candidate; break; fi; done)

.PHONY: run test lint format bench bench-quick wrk seeds demo-users check-deploy clean

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

run: $(VENV)/.runtime
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_users
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Performance table at an empty database and at 100,000 claims, then 50 readers for
# 60 s with writers active. The load generator is Debian's wrk, installed if missing.
bench: $(VENV)/.dev wrk
	$(PY) bench/run.py --load

bench-quick: $(VENV)/.dev wrk
	$(PY) bench/run.py

wrk:
	@command -v wrk >/dev/null 2>&1 || { echo "== installing wrk from Debian packages"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

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
