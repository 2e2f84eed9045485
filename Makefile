# The README's two commands live here: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Development runs with DEBUG on; the settings refuse to start without a
# SECRET_KEY otherwise.
export DEBUG ?= 1

.PHONY: run test lint messages compilemessages install lock demo browsers clean bench bench-posting

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the locked versions, checked against their hashes; reinstalled
# whenever the lock changes. The project itself is not installed: it runs from
# the checkout, so nothing generated is written into it.
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# After changing the dependencies in pyproject.toml: pin every package, with
# hashes, for the image (requirements.lock) and for development and CI
# (requirements-dev.lock, with the dev extra).
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv>=0.9,<1"
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -o requirements-dev.lock

compilemessages: install
	cd $(CURDIR) && $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# The web server, the background worker (it sends every email) and a loop
# that decides window mail and digests; Ctrl-C (or any of them ending) stops all three.
SCHEDULE_EVERY ?= 300
run: install compilemessages
	$(BIN)/python manage.py migrate --no-input
	PORT=$(PORT) $(BIN)/python manage.py load_demo
	@trap 'kill $$worker $$schedule 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	( trap 'kill $$! 2>/dev/null; exit 0' TERM; \
	  while true; do $(BIN)/python manage.py send_scheduled_notifications --verbosity 0; \
	  sleep $(SCHEDULE_EVERY) & wait $$!; done ) & schedule=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install compilemessages
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Refresh the French and Spanish catalogues after changing strings.
messages: install
	$(BIN)/python manage.py makemessages --locale fr --locale es --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks --no-obsolete --add-location=file
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Page speed against a static ceiling and a database floor (benchmarks/bench.py):
# `make bench BENCH_ARGS=--quick` while developing. Needs wrk, the Debian
# package (apt-get install -y wrk); SQLite by default, PostgreSQL with
# DATABASE_URL, in databases of its own.
BENCH_ARGS ?=
bench: install compilemessages
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# 16 signed-in people posting at once through the real form, on PostgreSQL
# (DATABASE_URL), with the posting rate limits switched off for the run.
bench-posting: install compilemessages
	$(BIN)/python benchmarks/posting.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
