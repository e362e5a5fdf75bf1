# The index of commands. `make run` and `make test` are the quick start.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help
.PHONY: help install run setup test lint format worker beat sweep-mail migrations-check deploy-check translations messages bench faults two-machines deploy-recipe restore-drill mutants clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies

.env:
	cp .env.example .env

# Tooling that needs no environment of its own runs with the test settings, so it works
# on a fresh clone before any .env exists (CI has none).
TOOL_MANAGE := DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py

translations: $(STAMP) ## Compile the message catalogues (locale/*.po -> .mo)
	$(TOOL_MANAGE) compiletranslations

setup: $(STAMP) .env translations ## Migrate and load the development demo data (idempotent)
	mkdir -p var/mail var/media
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_demo

# `make run PORT=8080` serves on another port; the links in emails follow it (SITE_URL).
PORT ?= 8000
run: setup ## Set everything up and serve http://127.0.0.1:8000 (SQLite, in-process tasks, mail in var/mail/)
	SITE_URL=http://127.0.0.1:$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(STAMP) translations ## Run the tests (PostgreSQL, Redis and browser tests skip with a reason when absent)
	@if command -v npm >/dev/null 2>&1 && [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --no-audit --no-fund --silent; fi
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## Check style with ruff, and the layers with import-linter (docs/ARCHITECTURE.md)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP) ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP) ## Run a Celery worker against REDIS_URL
	@test -n "$$REDIS_URL" || grep -q '^REDIS_URL=.' .env 2>/dev/null || (echo "Set REDIS_URL first (see .env.example)." && exit 1)
	$(VENV)/bin/celery -A wiits worker --loglevel=INFO

beat: $(STAMP) ## Run Celery beat (periodic mail sweep) against REDIS_URL
	@test -n "$$REDIS_URL" || grep -q '^REDIS_URL=.' .env 2>/dev/null || (echo "Set REDIS_URL first (see .env.example)." && exit 1)
	mkdir -p var
	$(VENV)/bin/celery -A wiits beat --loglevel=INFO

sweep-mail: $(STAMP) ## Retry deferred emails and send the mail queue now (no broker needed)
	$(MANAGE) sweep_mail

migrations-check: $(STAMP) ## Fail if a model change has no migration
	$(TOOL_MANAGE) makemigrations --check --dry-run

messages: $(STAMP) ## Extract translatable strings into locale/zh_Hans
	$(TOOL_MANAGE) makemessages --locale ar --locale zh_Hans --locale fr --locale ru --locale es --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'mutants/*'

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wiits_bench
# The same endpoints on 10 000 listings first, for the growth table (issue 15).
BENCH_SMALL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wiits_bench10k
# The figures before the changes of issue 15, for the before/after table of docs/BENCHMARKS.md.
BENCH_ARGS ?= --compare docs/benchmarks/2026-12-06-issue15-before.json
BENCH_SMALL_ARGS ?=
bench: $(STAMP) ## Benchmark under gunicorn on 10 000 then 100 000 listings on PostgreSQL; writes docs/BENCHMARKS.md
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	@test -x $(VENV)/bin/locust -a -x $(VENV)/bin/pyinstrument || $(PY) -m pip install --quiet -c constraints.txt ".[dev,bench]"
	@for DB in "$(BENCH_SMALL_DATABASE_URL)" "$(BENCH_DATABASE_URL)"; do \
	  case "$$DB" in postgres*) ;; *) echo "The benchmark needs PostgreSQL: make bench BENCH_DATABASE_URL=postgres://..."; exit 1;; esac; \
	  NAME="$${DB##*/}"; \
	  psql "$${DB%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$NAME'" | grep -q 1 \
	    || psql "$${DB%/*}/postgres" -c "CREATE DATABASE $$NAME" >/dev/null; \
	  DATABASE_URL="$$DB" $(TOOL_MANAGE) migrate --noinput -v0 || exit 1; \
	done
	DATABASE_URL="$(BENCH_SMALL_DATABASE_URL)" $(TOOL_MANAGE) bench --listings 10000 $(BENCH_SMALL_ARGS) \
	  --output var/bench/10k.md --raw var/bench/10k.json
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(TOOL_MANAGE) bench $(BENCH_ARGS) --growth-from var/bench/10k.json

faults: $(STAMP) ## Fault injection on private PostgreSQL, Redis, SMTP, gunicorn, Celery (as root; FAULTS_ARGS=--short for CI's run)
	$(TOOL_MANAGE) faults $(FAULTS_ARGS)

# Its own database (created if missing, migrated by the command) and Redis database; the S3
# server is .ci/run's (WIITS_TEST_S3_ENDPOINT) or a moto_server started for the run.
TWO_MACHINES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wiits_two_machines
TWO_MACHINES_REDIS_URL ?= redis://127.0.0.1:6379/3
two-machines: $(STAMP) translations ## Two gunicorn machines behind one address sharing PostgreSQL, Redis and a bucket: sessions, uploads, rate limit, publication
	@DB="$(TWO_MACHINES_DATABASE_URL)"; \
	  case "$$DB" in postgres*) ;; *) echo "The machines share PostgreSQL: make two-machines TWO_MACHINES_DATABASE_URL=postgres://..."; exit 1;; esac; \
	  NAME="$${DB##*/}"; \
	  psql "$${DB%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$NAME'" | grep -q 1 \
	    || psql "$${DB%/*}/postgres" -c "CREATE DATABASE $$NAME" >/dev/null; \
	  DATABASE_URL="$$DB" REDIS_URL="$(TWO_MACHINES_REDIS_URL)" $(TOOL_MANAGE) two_machines $(TWO_MACHINES_ARGS)

# The deployment recipe (deploy/: nginx, the systemd units, the env file) run on this host:
# nginx (installed, not the system's running one: its own prefix and ports) in front of
# gunicorn, worker and beat as the units start them. Its own database (created if missing,
# migrated by the command) and Redis database.
DEPLOY_RECIPE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wiits_deploy_recipe
DEPLOY_RECIPE_REDIS_URL ?= redis://127.0.0.1:6379/5
deploy-recipe: $(STAMP) translations ## nginx (deploy/nginx/wiits.conf) before gunicorn, worker and beat as deploy/systemd starts them, checked over HTTPS
	@DB="$(DEPLOY_RECIPE_DATABASE_URL)"; \
	  case "$$DB" in postgres*) ;; *) echo "The recipe runs on PostgreSQL: make deploy-recipe DEPLOY_RECIPE_DATABASE_URL=postgres://..."; exit 1;; esac; \
	  NAME="$${DB##*/}"; \
	  psql "$${DB%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$NAME'" | grep -q 1 \
	    || psql "$${DB%/*}/postgres" -c "CREATE DATABASE $$NAME" >/dev/null; \
	  DATABASE_URL="$$DB" REDIS_URL="$(DEPLOY_RECIPE_REDIS_URL)" $(TOOL_MANAGE) deploy_recipe $(DEPLOY_RECIPE_ARGS)

# Its own databases (dropped and created by the command: this one for folders, the same
# name + "_s3" for the bucket); the S3 server is .ci/run's (WIITS_TEST_S3_ENDPOINT) or a
# moto_server started for the run. RESTORE_DRILL_ARGS=--storage disk runs folders only.
RESTORE_DRILL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wiits_restore_drill
restore-drill: $(STAMP) translations ## Back up a demo portal, wipe it, restore it and check rows, files and pages (folders and a bucket)
	DATABASE_URL="$(RESTORE_DRILL_DATABASE_URL)" $(TOOL_MANAGE) restore_drill $(RESTORE_DRILL_ARGS)

mutants: $(STAMP) translations ## Mutation testing of the permissions, selectors, services and mail backend (mutmut; docs/TESTING.md)
	@test -x $(VENV)/bin/mutmut || $(PY) -m pip install --quiet -c constraints.txt ".[dev,mutants]"
	rm -rf mutants var/mutants-template.sqlite3 && mkdir -p var
	@# One migrated SQLite database; each mutant's test run starts from a copy (tests/conftest.py).
	env -u REDIS_URL DATABASE_URL=sqlite:///$(CURDIR)/var/mutants-template.sqlite3 $(TOOL_MANAGE) migrate --noinput -v0
	env -u REDIS_URL DATABASE_URL=sqlite:///$(CURDIR)/var/mutants-template.sqlite3 $(TOOL_MANAGE) createcachetable
	env -u DATABASE_URL -u REDIS_URL WIITS_TEST_DATABASE_TEMPLATE=$(CURDIR)/var/mutants-template.sqlite3 \
	  $(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results

clean: ## Remove the local database, mail and compiled files (keeps .venv)
	rm -rf var staticfiles
	find . -name '*.mo' -path './locale/*' -delete
