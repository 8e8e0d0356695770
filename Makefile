# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
AXE := node_modules/axe-core/axe.min.js
# The browser tests drive Debian's Chromium: Playwright never downloads a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: install install-dev run serve test lint format lock fixtures worldmap bench cluster-check \
	backup restore translations messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The runtime set, pinned with hashes in requirements.txt; the dev set (tests, lint) adds
# requirements-dev.txt. Both are written from pyproject.toml by `make lock`.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## translations: compile locale/*/LC_MESSAGES/*.po into the .mo files Django reads (with Babel:
## no GNU gettext needed); run, serve and the test suite do it themselves
translations: install
	$(MANAGE) compile_translations --verbosity 0

## messages: gather the marked strings into locale/<lang>/LC_MESSAGES/django.po for every language
## but English, then compile; needs GNU gettext (apt-get install gettext)
messages: install
	$(MANAGE) makemessages -l ar -l zh_Hans -l es -l fr -l ru \
	  --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench
	$(MANAGE) compile_translations

## run: set everything up and serve http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set)
run: install translations
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) seed
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

# axe-core, as package-lock.json pins it, for the browser tests' accessibility checks. Without
# npm nothing is done here; the tests then skip those checks and say how to enable them.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; fi

## test: lint, Django's checks, the migrations check and the whole suite, browser tests included
## (they skip, saying how to enable them, where Chromium is missing). The suite collects the
## static files itself. On SQLite unless DATABASE_URL is set.
test: install-dev lint $(AXE) translations
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest --durations=10

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: pin the dependencies of pyproject.toml again, with hashes, for Python 3.11 and later
lock: install-dev
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --quiet -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --group dev --universal --python-version 3.11 \
	  --generate-hashes --quiet -c requirements.txt -o requirements-dev.txt

## fixtures: rebuild fixtures/seed.json from fixtures/source/
fixtures: install
	$(MANAGE) build_fixtures

## worldmap: rebuild signatories/geodata/world.json from the world-atlas npm package
worldmap: $(AXE)
	$(BIN)/python -m tools.build_world_map

## serve: the production server: gunicorn on 127.0.0.1:$PORT (8000) with $WEB_CONCURRENCY (2)
## workers, against the PostgreSQL database at $DATABASE_URL; needs SECRET_KEY (see README)
serve: install translations
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve needs DATABASE_URL=postgres://user@host:5432/dbname" >&2; exit 1;; esac
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY (a long random string)" >&2; exit 1; }
	$(MANAGE) check --deploy
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	exec $(BIN)/gunicorn config.wsgi --workers $${WEB_CONCURRENCY:-2} \
	  --bind 127.0.0.1:$${PORT:-8000} --access-logfile - --forwarded-allow-ips 127.0.0.1 \
	  --control-socket $${TMPDIR:-/tmp}/declaration-gunicorn-$${PORT:-8000}.ctl

## backup: the whole database to backups/<timestamp>.dump (PostgreSQL) or .sqlite3 (SQLite)
backup: install
	$(MANAGE) backup

## restore: replace the database's contents with a backup: make restore FILE=backups/....dump
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<timestamp>.dump" >&2; exit 1; }
	$(MANAGE) restore "$(FILE)"

## bench: load-test the public pages on PostgreSQL (the list, its exports, cached and not) and
## print the figures (README, Performance); needs wrk (installed here with apt-get when missing).
## Then time the PDF report and the figure images (bench/report.py, on SQLite)
bench: install-dev
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/report.py

## cluster-check: run deploy/ on this machine (nginx, two `make serve` instances, the local
## PostgreSQL, a Redis of its own), break it under wrk load (an instance stops, Redis pauses,
## PostgreSQL restarts, an edit) and print each figure (README, Deploying). Needs root for apt
## when nginx or wrk is missing; restarts the local PostgreSQL cluster.
cluster-check: install
	@command -v nginx >/dev/null && command -v wrk >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq nginx wrk >/dev/null; } || \
	  { echo "make cluster-check needs nginx and wrk: apt-get install nginx wrk" >&2; exit 1; }
	$(BIN)/python bench/cluster_check.py $(ARGS)
