# The two front doors: `make demo` and `make test`. Each makes its own environment.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= sqlite:///$(CURDIR)/jangbu-demo.db
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint venv bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

venv: $(STAMP)

PORT ?= 8000

demo: $(STAMP)
	$(BIN)/jangbu --database '$(DEMO_DB)' demo
	$(BIN)/jangbu --database '$(DEMO_DB)' serve --port $(PORT)

# One pytest worker per core (pytest-xdist); each worker has its own databases. loadgroup:
# the tests that read the one shared demo build run on one worker (tests/conftest.py).
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
XDIST  := -n $(WORKERS) --dist loadgroup

# Everything, as CI runs it: a line per area with its time at the end, the 25 slowest tests.
test: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) --durations=25 $(PYTEST_ARGS)

# Lint and import order (ruff, configured in pyproject.toml); .ci/run runs it before the tests.
lint: $(STAMP)
	$(BIN)/ruff check .

# While working: without the tests marked slow (process races, demo builds, inner runs).
test-fast: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/ledger_post.py
	$(BIN)/python bench/web_pages.py
	$(BIN)/python bench/finance_reports.py
	$(BIN)/python bench/wms_stock.py
	$(BIN)/python bench/fixture_reset.py
	$(BIN)/python bench/ledger_import.py --n 100000

clean:
	rm -rf $(VENV) *.egg-info jangbu-demo.db*
