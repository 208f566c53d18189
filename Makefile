# The two front-door commands: `make run` and `make test`. Everything else is what they stand on.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps venv db db-down lint typecheck pytest clean

run: setup ## set up everything, start the embedded PostGIS, load demo data once, serve on :8000
	$(BIN)/stations serve

test: setup db lint typecheck pytest ## set up everything, then lint, types and the whole suite on real PostGIS

setup: system-deps venv

system-deps:
	@bash scripts/system-deps.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

db: venv ## start the embedded PostGIS (skipped when STATIONS_DATABASE_URL points elsewhere)
	@if [ -z "$$STATIONS_DATABASE_URL" ]; then $(BIN)/stations db up; fi

db-down:
	$(BIN)/stations db down

lint:
	$(BIN)/ruff check stations tests

typecheck:
	$(BIN)/mypy stations

pytest:
	$(BIN)/python -m pytest -q

clean: db-down
	rm -rf $(VENV) var
