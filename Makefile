# The two front doors: `make demo` and `make test`. Each makes its own environment.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= sqlite:///$(CURDIR)/jangbu-demo.db
STAMP  := $(VENV)/.installed

.PHONY: demo test venv bench clean

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

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/ledger_post.py
	$(BIN)/python bench/web_pages.py
	$(BIN)/python bench/finance_reports.py
	$(BIN)/python bench/wms_stock.py

clean:
	rm -rf $(VENV) *.egg-info jangbu-demo.db*
