# Set-up and everyday commands. Every target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# Translation catalogues: committed .po files, compiled .mo files (see below).
PO := $(wildcard src/caredesk/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

.PHONY: run test lint typecheck bench clean install mutation chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the dependency list or the calendar's optional C hot path changes (built where
# a C compiler is at hand, else skipped with a warning: the pure-Python path is used). The
# translation catalogues are compiled first (order-only: a changed .po recompiles its .mo
# without reinstalling).
$(STAMP): pyproject.toml setup.py src/caredesk/core/_calendar_accel.c | $(BIN)/python $(MO)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# English and Japanese: the .po files are committed, their .mo compiled here (never committed),
# with the msgfmt Django's compilemessages runs; Debian's gettext is installed when missing.
$(MO): %.mo: %.po
	@command -v msgfmt >/dev/null || (apt-get update && apt-get install -y gettext)
	msgfmt --check --statistics -o $@.tmp $< && mv $@.tmp $@

install: $(STAMP)

# The browser tests drive Debian's Chromium through Playwright (never a browser Playwright
# downloads itself): installed here when missing, as gettext is above, with a Japanese font
# so that the screenshots of the Japanese pages are legible.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && apt-get install -y chromium fonts-ipafont-gothic

chromium: $(CHROMIUM)

# The product on its embedded default: SQLite under ./var/, demo data once, 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/caredesk demo --if-empty
	$(BIN)/caredesk serve --host 127.0.0.1 --port 8000 --with-worker

# The whole suite: lint and types first (seconds), then every tier on SQLite (the browser
# tier included), then the database tiers again on PostgreSQL when TEST_DATABASE_URL is set
# (CI sets it).
test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/mypy
	env -u DATABASE_URL $(BIN)/python -m pytest -n 2 -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL: $$TEST_DATABASE_URL"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/python -m pytest -n 2 -q -p no:cacheprovider \
	    src/caredesk; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/calendar_bench.py

# Mutation testing of the pure core (README, "Mutation testing of the core"): mutmut mutates
# every Python module of src/caredesk/core and runs the core's fast unit tests against each
# mutant on the pure-Python calendar (config: [tool.mutmut] in pyproject.toml). A fresh run
# each time; `$(BIN)/mutmut results` then lists the survivors, `mutmut show NAME` one diff.
mutation: $(STAMP)
	rm -rf mutants && env -u PYTHONPATH CAREDESK_PURE_PYTHON=1 $(BIN)/mutmut run --max-children 2

clean:
	rm -rf $(VENV) test-output build dist src/*.egg-info src/caredesk/core/*.so .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
