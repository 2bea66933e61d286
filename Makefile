# The two commands: `make demo` and `make test`. Both create .venv when missing
# and (re)install the project only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000

.PHONY: demo test browser install lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/sunshift demo --port $(PORT)

test: install
	$(BIN)/ruff check .
	sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

browser: install
	sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -q -m browser tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run.py
