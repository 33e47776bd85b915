# Two commands: `make demo` (set up, ingest the bundled sample, summarise) and
# `make test` (set up, run the whole suite). Everything installed is pinned
# in requirements.lock (with hashes) and installed into .venv.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SHELL := /bin/bash

.PHONY: install demo test browser lint bench clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q --require-hashes -r requirements.lock
	$(PY) -m pip install --disable-pip-version-check -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; }

demo: install
	rm -f demo.duckdb
	$(VENV)/bin/eventcoder ingest samples/ --db demo.duckdb
	$(VENV)/bin/eventcoder summary --db demo.duckdb
	@echo
	@echo "Open the dashboard:  $(VENV)/bin/eventcoder serve --db demo.duckdb   then http://127.0.0.1:8000/"

test: install browser
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/mypy src

bench: install
	$(VENV)/bin/eventcoder bench --limit 200

clean:
	rm -rf $(VENV) demo.duckdb .pytest_cache
