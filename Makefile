# Two commands on a fresh machine: `make demo` and `make test`. Both create the local venv first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

DIST   := build/dist
# the test files holding the Monte Carlo parity sweeps (pytest -m sweep reads only these)
SWEEPS := tests/test_ordinal_bootstrap.py tests/test_covariates_fiml.py

.PHONY: install demo test lint format fixtures bench clean dist wheel-check chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/loyaltysem run --out report

# The browser test of the local web page (tests/test_gui.py) drives Debian's chromium with
# Playwright (dev extra); chromium is installed with apt-get when missing and possible (root),
# else that one test is skipped with the reason.
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; } ; } || \
	echo "chromium could not be installed: the browser test of the local web page will be skipped"

test: $(STAMP) chromium wheel-check
	$(VENV)/bin/ruff check loyaltysem tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -n 2 --dist worksteal --durations=10 -m "not sweep"
	@echo "the Monte Carlo parity sweeps against lavaan (marked sweep):"
	$(PY) -m pytest -q -n 2 -m sweep $(SWEEPS)

# The sdist and wheel as PyPI would get them (the wheel is built from the sdist), checked by
# twine; build/dist/ is removed once wheel-check has passed.
dist: $(STAMP)
	rm -rf $(DIST)
	$(PY) -m build --outdir $(DIST) .
	$(VENV)/bin/twine check --strict $(DIST)/*

# The wheel alone in a fresh venv (dependencies from .venv, nothing else importable), then
# `loyaltysem run` in an empty folder: see tests/packaging/check_wheel.py.
wheel-check: dist
	$(PY) tests/packaging/check_wheel.py $(DIST)
	rm -rf $(DIST)
	-rmdir build 2>/dev/null

lint: $(STAMP)
	$(VENV)/bin/ruff check loyaltysem tests benchmarks
	$(VENV)/bin/ruff format --check loyaltysem tests benchmarks

format: $(STAMP)
	$(VENV)/bin/ruff format loyaltysem tests benchmarks
	$(VENV)/bin/ruff check --fix loyaltysem tests benchmarks

# Needs R with lavaan, semTools, psych, GPArotation and jsonlite (see README); CI does not.
fixtures:
	Rscript tests/fixtures/make_fixtures.R

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) report .pytest_cache .ruff_cache $(DIST)
