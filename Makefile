# Kend din kommune: the two commands are `make run` and `make test` (see README.md); `make check` is the quick one.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PLOTLY := assets/vendor/plotly-kdk.min.js
STATIC := build/static/.made
# The catalogue of each language (kdk/oversaettelser/<sprog>/LC_MESSAGES/messages.po), compiled: kdk/sprog.py reads it.
KATALOGER := $(patsubst %.po,%.mo,$(wildcard kdk/oversaettelser/*/LC_MESSAGES/messages.po))
POT    := kdk/oversaettelser/messages.pot
# The tests `make check` runs: the markers are declared in pyproject.toml and set in tests/conftest.py.
HURTIGE := not server and not browser and not marts and not langsom

.PHONY: setup run dev lint check test marts rebuild bench systempakker oversaettelser oversaettelser-udtraek

## setup: virtual environment with the app's pinned requirements, the slim Plotly bundle, the static files compressed,
## the translations compiled, and, in a git clone, the commit-msg hook (.githooks/; set in this repository's own
## config, nowhere else)
setup: $(VENV)/.installed $(PLOTLY) $(STATIC) oversaettelser
	@if git rev-parse --git-dir >/dev/null 2>&1; then git config core.hooksPath .githooks; fi

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# The test, type-check and benchmark tools (pytest, mypy, playwright, locust ...): for check, test and bench only.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

$(PLOTLY): frontend/package.json frontend/package-lock.json frontend/plotly-entry.js frontend/plotly-da.js
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

# The static files compressed once (web/static.py), so that gunicorn's workers start fast.
$(STATIC): $(VENV)/.installed $(PLOTLY) $(wildcard assets/*.css)
	$(PY) -m web.static
	touch $@

## oversaettelser: compile the translations (.po -> .mo, Babel)
oversaettelser: $(KATALOGER)

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet compile -i $< -o $@

## oversaettelser-udtraek: extract the texts marked for translation into $(POT) and merge them into the English
## catalogue (new texts come untranslated; a translator fills them in, kdk/oversaettelser/README.md)
oversaettelser-udtraek: $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg --width 120 --no-location --sort-output --omit-header \
		--project "Kend din kommune" -o $(POT) app.py pages components web kdk
	$(VENV)/bin/pybabel --quiet update -i $(POT) -d kdk/oversaettelser -D messages -l en --width 120 --no-fuzzy-matching \
		--ignore-obsolete

## marts: build data/kdk.duckdb from the shipped sources unless it exists (`make rebuild` forces it)
marts: $(VENV)/.installed
	@test -e data/kdk.duckdb || $(PY) -m kdk build

rebuild: $(VENV)/.installed
	$(PY) -m kdk build

## run: set up, build the marts if missing, serve http://127.0.0.1:8050 with gunicorn as deployed
run: setup marts
	$(VENV)/bin/gunicorn --config gunicorn.conf.py "app:create_app()"

## dev: Dash's development server with hot reload
dev: setup marts
	$(PY) app.py

## lint: ruff over the project, mypy over kdk/ (configured in pyproject.toml)
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## check: lint, then the fast tests: none starts gunicorn or a browser, makes a marts copy of its own or takes several
## seconds alone (markers server, browser, marts, langsom: pyproject.toml, tests/conftest.py); `make test` runs them all
check: setup lint
	$(PY) -m pytest -q -n 2 --dist loadgroup -m "$(HURTIGE)"

## test: set up (with the system Chromium for browser tests and nginx for the deployment's), lint, run every test and
## print the 25 slowest (where CI's time goes). Three test processes on two cores: with two, the cores stood idle
## 44 % of the run while tests waited on servers, browsers and the clock (docs/performance.md)
test: setup lint systempakker
	$(PY) -m pytest -n 3 --dist loadgroup --durations=25

systempakker:
	@test -x /usr/bin/chromium -a -x /usr/sbin/nginx && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium nginx postgresql)

## bench: benchmarks (print their figures; see bench/README.md)
bench: setup $(VENV)/.installed-test marts
	$(PY) bench/bench_build.py
