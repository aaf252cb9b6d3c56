# Kindness: `make run` serves the app on SQLite, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test translations translations-update lint format bench serve-gunicorn release worker scheduler clean

# Links printed on cards, invites and mail point where `make run` serves, unless
# KINDNESS_BASE_URL says otherwise. Without Redis, jobs run inside the app right
# after each request; the periodic ones (daily letters, mail retries) run every
# minute in a second process that stops with the server. Mail lands in
# instance/outbox/ as .eml files unless KINDNESS_MAIL_SERVER is set.
run: install translations
	$(BIN)/flask --app app db upgrade
	export KINDNESS_BASE_URL=$${KINDNESS_BASE_URL:-http://$(HOST):$(PORT)}; \
	  $(BIN)/flask --app app jobs tick --every 60 --quiet & tick=$$!; \
	  trap 'kill $$tick 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask --app app run --host $(HOST) --port $(PORT)

test: install-test translations
	$(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The stamps reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: install
	$(BIN)/pybabel compile -d kindness/translations

# Re-extract the strings and merge them into the catalogues (then translate the new ones).
translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o kindness/translations/messages.pot .
	$(BIN)/pybabel update -N -i kindness/translations/messages.pot -d kindness/translations

# Style, then the layers of docs/architecture.md (import contracts in pyproject.toml, and the
# migrations' imports in tests/test_layers.py), then the types of kindness/.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -q -p no:cacheprovider tests/test_layers.py
	$(BIN)/mypy kindness

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production: run `make release` once per deploy (not from every instance), then
# start any number of instances; settings in gunicorn.conf.py (README, Production).
serve-gunicorn: install translations
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py app:app

# The release step: migrate the database once (concurrent runs wait for each other).
release: install
	$(BIN)/flask --app app db upgrade

# With REDIS_URL: run as many workers as you like, on any host; exactly one scheduler.
worker: install translations
	$(BIN)/celery -A kindness.jobs.worker worker --loglevel=info

scheduler: install
	mkdir -p instance
	$(BIN)/celery -A kindness.jobs.worker beat --loglevel=info --schedule=$${KINDNESS_BEAT_SCHEDULE:-instance/celerybeat-schedule}

# Every figure of issue 15's Bar (README, Benchmarks): about 40 minutes, QUICK=1 about 8.
bench: install-test
	$(BIN)/python bench/all.py $(if $(QUICK),--quick) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .grimp_cache
