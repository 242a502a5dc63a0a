# The portal's commands. `make run` serves it at http://127.0.0.1:8000; `make test` is what CI runs.
# The embedded default needs nothing else: SQLite in var/, Celery tasks in-process, DEBUG=1.
# Set DATABASE_URL and REDIS_URL to run on PostgreSQL and Redis instead.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
# compilemessages and makemessages walk the whole tree: keep them out of the virtualenv.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=staticfiles --ignore=media
# Development and tests always run with DEBUG on and the built-in development key.
DEV_ENV := env -u SECRET_KEY -u SECRET_KEY_FILE DEBUG=1
# The embedded default: no PostgreSQL, no Redis.
EMBEDDED_ENV := env -u SECRET_KEY -u SECRET_KEY_FILE -u DATABASE_URL -u REDIS_URL DEBUG=1

.PHONY: help run worker beat migrate demo messages compilemessages lint test bench load clean distclean \
	venv venv-dev debian-packages db

help:
	@echo "make run       set up and serve the portal at http://127.0.0.1:8000 (prints the demo logins)"
	@echo "make test      lint, type-check, Django checks, then the tests (PostgreSQL if DATABASE_URL is set)"
	@echo "make worker    a Celery worker (needs REDIS_URL)"
	@echo "make beat      Celery beat, the periodic-task scheduler (needs REDIS_URL)"
	@echo "make migrate   apply database migrations"
	@echo "make demo      load the demonstration data and print its logins"
	@echo "make messages  extract zh_Hans translation strings into locale/, then compile them"
	@echo "make lint      ruff check, ruff format --check, mypy"
	@echo "make bench     benchmarks against PostgreSQL (directory, then the certificate lookup at BENCH_CERTIFICATES rows)"
	@echo "make load      load test: the certificate lookup under gunicorn with wrk, on the certificates make bench made"
	@echo "make clean     remove caches and collected static files (keeps .venv and var/)"
	@echo "make distclean clean, and remove .venv and var/ (the SQLite database)"

# --- set-up -------------------------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when a requirements file changed. The dev set includes the runtime one.
$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	touch $(VENV)/.installed-runtime $@

venv: $(VENV)/.installed-runtime
venv-dev: $(VENV)/.installed-dev

debian-packages:
	@scripts/install-debian-packages.sh

# With DATABASE_URL naming PostgreSQL: create that database (UTF-8, C.UTF-8) if it is missing.
db: venv
	$(DEV_ENV) $(PY) -m scripts.ensure_database

var:
	mkdir -p var

# --- running ------------------------------------------------------------------------------

run: venv debian-packages migrate compilemessages demo
	$(DEV_ENV) VENV=$(VENV) scripts/serve.sh

migrate: venv db | var
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: venv | var
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) $(PY) manage.py seed_demo_assessors
	$(DEV_ENV) $(PY) manage.py seed_demo_certificates
	$(DEV_ENV) $(PY) manage.py seed_demo_supervision
	$(DEV_ENV) $(PY) manage.py sign_audit_checkpoint

worker: venv | var
	$(DEV_ENV) $(BIN)/celery -A config worker --loglevel INFO

beat: venv | var
	$(DEV_ENV) $(BIN)/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

compilemessages: venv
	@if [ -d locale ]; then \
		$(DEV_ENV) $(PY) manage.py compilemessages $(I18N_IGNORE); \
	else \
		echo "compilemessages: no locale/ directory yet, nothing to compile"; \
	fi

# Templates include the e-mail bodies (templates/emails/*.txt), hence txt next to py and html.
messages: venv
	$(DEV_ENV) $(PY) manage.py makemessages -l zh_Hans -e py,html,txt $(I18N_IGNORE) --ignore=tests --ignore=bench
	$(DEV_ENV) $(PY) manage.py compilemessages $(I18N_IGNORE)

# --- checks -------------------------------------------------------------------------------

# Benchmarks print figures; they are not tests. They fill their own PostgreSQL databases
# (BENCH_DATABASE_URL for the directory, BENCH_CERTS_DATABASE_URL for the certificates) and reuse
# them on later runs. The certificate lookup is measured at BENCH_CERTIFICATES rows.
BENCH_CERTIFICATES ?= 10000000
bench: venv-dev
	$(DEV_ENV) $(PY) bench/directory_search.py
	$(DEV_ENV) $(PY) bench/certificates_generate.py --certificates $(BENCH_CERTIFICATES)
	$(DEV_ENV) $(PY) bench/certificates_lookup.py
	$(DEV_ENV) $(PY) bench/upload_apply.py --rows 100000
	$(DEV_ENV) $(PY) bench/expiry_sweep.py --day 2026-11-21

# The public certificate lookup under load: gunicorn and a Celery worker on the certificates
# `make bench` generated (the same BENCH_CERTS_DATABASE_URL), 60 s per level of 8, 32 and 64
# connections with wrk (Debian package; a Python client without it); needs Redis (BENCH_REDIS_URL,
# db 15 by default). Stops with how to generate the certificates when there are none. Flags go in
# LOAD_ARGS, e.g. make load LOAD_ARGS="--duration 20 --connections 16".
LOAD_ARGS ?=
load: venv
	$(DEV_ENV) $(PY) bench/load_lookup.py $(LOAD_ARGS)

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy .

# The full suite runs on whatever DATABASE_URL says (PostgreSQL in CI); the smoke tests then
# run again on the embedded default (no DATABASE_URL, no REDIS_URL) so it keeps working.
# No Celery worker runs during the tests, so tasks run in-process even when REDIS_URL is set
# (Redis then still serves the cache, and tests/config checks the broker round trip).
test: venv-dev debian-packages db lint
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	@if [ -d locale ]; then $(DEV_ENV) $(PY) manage.py compilemessages $(I18N_IGNORE); fi
	$(DEV_ENV) CELERY_TASK_ALWAYS_EAGER=1 $(PY) -m pytest
	$(EMBEDDED_ENV) $(PY) -m pytest -m smoke

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache staticfiles

distclean: clean
	rm -rf $(VENV) var
