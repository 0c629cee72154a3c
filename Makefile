# Naboambassadør — everyday commands. `make run` to try it, `make test` to test it.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The interpreter that creates the venv: Python 3.11 if present, else whatever python3 is.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)

# The test stack: real PostgreSQL and Redis at 127.0.0.1 (`.ci/run` starts them). Override any of
# these on the command line or in the environment, e.g. `make test DATABASE_URL=postgres://…`.
# They are passed to pytest only: `make run` always gets the embedded default (SQLite, eager
# Celery), even when the shell has them exported.
DATABASE_URL             ?= postgres://postgres@127.0.0.1:5432/naboambassador
CELERY_BROKER_URL        ?= redis://127.0.0.1:6379/14
REDIS_URL                ?= redis://127.0.0.1:6379/15
CELERY_TASK_ALWAYS_EAGER ?= true
DEBUG                    ?= true
PYTEST_ARGS              ?=
unexport DATABASE_URL CELERY_BROKER_URL REDIS_URL CELERY_TASK_ALWAYS_EAGER DEBUG

.PHONY: venv messages run demo-codes test lint clean

venv: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when a requirements file is newer than the last install. The venv is for development:
# requirements-dev.txt (tests, lint, benchmarks) includes requirements.txt (what production runs).
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -r requirements-dev.txt
	touch $(STAMP)

messages: venv
	$(PY) manage.py compiletranslations

run: venv messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The demo logins again, with fresh two-factor codes for the coordinator and the admin.
demo-codes: venv
	$(PY) manage.py seed_demo

test: venv messages
	DATABASE_URL='$(DATABASE_URL)' \
	CELERY_BROKER_URL='$(CELERY_BROKER_URL)' \
	REDIS_URL='$(REDIS_URL)' \
	CELERY_TASK_ALWAYS_EAGER='$(CELERY_TASK_ALWAYS_EAGER)' \
	DEBUG='$(DEBUG)' \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Lint rules (complexity limit C901 ≤ 15 included) and formatting; `.ci/run` runs this before the tests.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
