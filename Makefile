# fitr: `make run` to try it, `make test` to check it.
PORT ?= 5000
HOST ?= 127.0.0.1
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export FLASK_APP := fitr
# pytest-xdist workers: one per core (set TEST_WORKERS=0 to run in one process)
TEST_WORKERS ?= auto

.PHONY: run serve test test-sqlite test-dates test-postgres lint fuzz browser-deps bench phone-speed loadtest screenshots clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime packages only, each at its version in constraints.txt (transitive ones too); the stamp
# is redone when pyproject.toml or constraints.txt changes.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

# Runtime plus test tools.
$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@ $(VENV)/.installed

## lock: rewrite constraints.txt, the version of every package '.[dev]' installs (transitive ones
## too), from a fresh throwaway venv; run it after changing a pin in pyproject.toml, then make test
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/pip" install --quiet -e '.[dev]'; \
	{ echo "# Every package fitr and its tests install, at the version the tests passed with."; \
	  echo "# make run and make test install with -c constraints.txt; make lock rewrites it."; \
	  "$$tmp/venv/bin/pip" freeze --exclude-editable; } > constraints.txt.new; \
	mv constraints.txt.new constraints.txt
	@echo "constraints.txt: $$(grep -vc '^#' constraints.txt) packages pinned"

## run: install, migrate the SQLite database in instance/, serve on http://$(HOST):$(PORT)
## (the email worker runs inside the dev server's process)
run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## serve: the production server (gunicorn) and the email worker (`flask worker`, a process of
## its own, stopped with gunicorn); needs SECRET_KEY, and DATABASE_URL for PostgreSQL
serve: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask --app wsgi worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile - --logger-class fitr.logging_setup.GunicornLogger wsgi:app

## test: lint, the whole suite on SQLite (browser tests included), the date-sensitive tests again at
## the awkward days of the calendar, then the database tests on PostgreSQL
test: $(VENV)/.installed-dev browser-deps lint test-sqlite test-dates test-postgres

## lint: ruff, the areas' one-way layers (import-linter; the contract is in pyproject.toml), and no
## raw colour outside static/css/tokens.css
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python tests/check_colours.py

test-sqlite: $(VENV)/.installed-dev
	$(BIN)/pytest -q -n $(TEST_WORKERS)

test-dates: $(VENV)/.installed-dev
	bash tests/with_dates.sh $(BIN)/pytest -q -n $(TEST_WORKERS)

# Every route's access rules and hostile input run on SQLite: they ask nothing of the database
# that the other tests do not ask of PostgreSQL.
test-postgres: $(VENV)/.installed-dev
	bash tests/with_postgres.sh $(BIN)/pytest -q -n $(TEST_WORKERS) -m "not browser and not all_routes and not own_servers"

## fuzz: the hostile-input tests with many more examples per route (FITR_FUZZ_EXAMPLES) and a new
## random seed each run, printed first; FITR_FUZZ_SEED=<seed> repeats a run. Run before an issue is resolved.
FITR_FUZZ_EXAMPLES ?= 200
fuzz: $(VENV)/.installed-dev
	@seed=$(FITR_FUZZ_SEED); seed=$${seed:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}; \
	echo "make fuzz: $(FITR_FUZZ_EXAMPLES) examples per route, FITR_FUZZ_SEED=$$seed"; \
	FITR_FUZZ_EXAMPLES=$(FITR_FUZZ_EXAMPLES) FITR_FUZZ_SEED=$$seed $(BIN)/pytest -q -n $(TEST_WORKERS) tests/test_hostile_input.py

## browser-deps: Debian's Chromium for the Playwright tests (installed with apt-get when root)
browser-deps:
	@bash tests/install_system_packages.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

## bench: the performance record: the busiest pages through gunicorn beside a bare route, and in process,
## at 20, 200 and 1,000 clients x a year of sessions; writes docs/benchmarks.md
bench: $(VENV)/.installed-dev
	$(BIN)/python tests/bench_http.py

## phone-speed: Today and a session's page on a mid-range phone's profile (CPU x4, Fast 3G) after the
## service worker is installed: one request over the network each; writes docs/phone-speed.md
phone-speed: $(VENV)/.installed-dev browser-deps
	PHONE_SPEED_OUT=docs/phone-speed.md $(BIN)/pytest -q tests/browser/test_phone_speed_browser.py

## loadtest: 60 s of 50 clients logging and 5 coaches editing on gunicorn (4 workers), on SQLite and
## PostgreSQL, then a worker killed mid-load and the database stopped for 5 s: 5xx, "database is
## locked", acknowledged writes against rows found
loadtest: $(VENV)/.installed-dev browser-deps
	$(BIN)/python tests/loadtest.py --faults --out docs/benchmarks.md

## screenshots: the gallery of key screens, light and dark (docs/screenshots/), and the README's pictures (static/screenshots/), from the real app in Chromium
screenshots: $(VENV)/.installed-dev browser-deps
	$(BIN)/python tests/screenshots.py
