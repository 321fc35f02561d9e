# Two commands for everyone: `make run` and `make test`. The rest is for maintainers.

PYTHON ?= python3
PORT ?= 5000
# The address links are built from (FIRESTORM_SITE_URL): the development server's own.
SITE_URL ?= http://127.0.0.1:$(PORT)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
POSTGRES_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

# Walks of every route per role in `make fuzz` (`make test` runs 8).
FUZZ_EXAMPLES ?= 1000

.PHONY: run serve test test-postgres fuzz lint security types outdated format bench bench-import clean

# The demo's contact details, newsletter and social links, so a newcomer sees where they show.
# Placeholders (a 555 number, example.org addresses): the defaults in firestorm/config.py stay
# empty, so a real shop shows only what it sets. `make run DEMO_SETTINGS=` leaves them out.
DEMO_SETTINGS ?= FIRESTORM_STORE_PHONE='(828) 555-0142' \
	FIRESTORM_STORE_EMAIL='books@example.org' \
	FIRESTORM_NEWSLETTER_URL='https://example.org/newsletter' \
	FIRESTORM_SOCIAL_LINKS='[["Mastodon", "https://example.org/@firestorm"], ["Instagram", "https://example.org/firestorm-photos"]]'

## make run: set everything up and serve the site on http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime-installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C to stop)"
	$(DEMO_SETTINGS) FIRESTORM_SITE_URL=$(SITE_URL) $(FLASK) run --host 127.0.0.1 --port $(PORT)

## make serve: production, with gunicorn.conf.py (needs FIRESTORM_SECRET_KEY, FIRESTORM_SITE_URL)
serve: $(VENV)/.runtime-installed
	$(FLASK) db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py app:app

# One worker per core, each test module on one worker (its fixtures made once).
PARALLEL ?= -n auto --dist loadfile

# Line coverage of firestorm/ (the live server the browser tests drive runs in a thread, which
# coverage follows); below fail_under in pyproject.toml the run fails. `make test COVERAGE=`
# leaves it out. test-postgres does not measure it: the same code, only slower.
COVERAGE ?= --cov --cov-report=term:skip-covered

## make test: the whole suite (browser and HTML checks run when Chromium, Java and npm are here),
## failing below the coverage floor
test: $(VENV)/.dev-installed node_modules/.installed
	$(BIN)/python -m pytest $(PARALLEL) $(COVERAGE)

## make test-postgres: the suite again against PostgreSQL (PYTEST_ARGS adds pytest options;
## each parallel worker makes a database of its own beside POSTGRES_TEST_URL's)
test-postgres: $(VENV)/.dev-installed node_modules/.installed
	FIRESTORM_TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

## make fuzz: only the fuzz tests, with FUZZ_EXAMPLES hostile requests to every route per role
fuzz: $(VENV)/.dev-installed
	FIRESTORM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzzing.py

## make load-test: 8 processes x 200 writes through gunicorn, on SQLite then PostgreSQL (needs both)
load-test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m load tests/load -p no:cacheprovider

## make bench: load-test the public pages and cold mixes at 100,000 and 1,000 books, on SQLite then PostgreSQL (needs wrk: apt-get install wrk)
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.run

## make bench-import: how long a 5,000-row CSV file takes to check, import and undo (SQLite; BENCH_DATABASE_URL=postgresql://… for PostgreSQL, which it empties first)
bench-import: $(VENV)/.dev-installed
	$(BIN)/python -m bench.csv_import $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make security: bandit over firestorm/ (medium and high findings fail; each kept one is explained in a # nosec comment)
security: $(VENV)/.dev-installed
	$(BIN)/bandit --recursive firestorm --severity-level medium --quiet

## make types: mypy over firestorm/ (every function annotated; config in pyproject.toml)
types: $(VENV)/.dev-installed
	$(BIN)/mypy

## make outdated: every pinned dependency that is behind its newest release (a report; fails nothing)
outdated: $(VENV)/.dev-installed
	@$(BIN)/python -m pip list --outdated --disable-pip-version-check 2>/dev/null \
		| grep -v -E '^(pip|setuptools) ' || echo "Every dependency is at its newest release."

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| (echo "Firestorm needs Python 3.11 or newer: make PYTHON=python3.11 …" && exit 1)
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# axe-core and the Nu Html Checker come from npm; without npm their tests are skipped.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the accessibility and HTML validity tests will be skipped."; \
	fi

clean:
	rm -rf $(VENV) node_modules .pytest_cache
