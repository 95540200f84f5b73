# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench messages screenshots clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

DEMO_PASSWORD ?= jntp-demo-2021
LOCAL := DJANGO_SETTINGS_MODULE=jntp.settings.local PYTHONUNBUFFERED=1 PATH="$(CURDIR)/$(BIN):$$PATH"

run: $(STAMP)
	$(LOCAL) python manage.py migrate --no-input
	$(LOCAL) python manage.py seed_demo --if-empty --password "$(DEMO_PASSWORD)"
	@echo ""
	@echo "  JNTP Export Match is starting at http://127.0.0.1:8000/"
	@echo "  Sign in as demo-staff, demo-company, demo-company2, demo-center or demo-center2"
	@echo "  with the password $(DEMO_PASSWORD) (set when the demo was first loaded)."
	@echo "  Web app, Celery worker and beat run together; stop them all with Ctrl-C."
	@echo ""
	$(LOCAL) honcho start -f Procfile

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=jntp.settings.test
	$(BIN)/pytest

screenshots: $(STAMP)
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/browser/test_screenshots.py -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l ko -l en --ignore=.venv --ignore=var --ignore=static/vendor
	$(BIN)/python manage.py compilemessages --ignore=.venv

# `make bench` (PostgreSQL; not part of `make test`): the national dataset, then the timings.
# DATABASE_URL if set, else a jntp_bench database on the local server (created if missing).
BENCH_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/jntp_bench)
BENCH := DJANGO_SETTINGS_MODULE=jntp.settings.bench DATABASE_URL="$(BENCH_DATABASE_URL)" PYTHONUNBUFFERED=1

bench: $(STAMP)
	$(BENCH) $(BIN)/python manage.py bench_database
	$(BENCH) $(BIN)/python manage.py migrate --no-input
	$(BENCH) $(BIN)/python manage.py seed_scale
	$(BENCH) $(BIN)/python manage.py bench

clean:
	rm -rf var/broker var/test.sqlite3
