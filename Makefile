# The two front-door commands: `make run` and `make test`. Everything else is what they stand on.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: screenshots run test setup system-deps venv assets db db-down lint typecheck pytest clean lock

run: setup ## set up everything, start the embedded PostGIS, load demo data once, serve on :8000
	$(BIN)/stations serve

test: setup db lint typecheck pytest ## set up everything, then lint, types and the whole suite on real PostGIS

setup: system-deps venv assets

# Serving needs fewer Debian packages than testing (no chromium, no GDAL); prerequisites inherit the mode.
DEPS_FOR ?= test
run: DEPS_FOR := run

system-deps:
	@bash scripts/system-deps.sh $(DEPS_FOR)

venv: $(STAMP)

# Exactly the locked, hashed versions (runtime, test and bench extras, pip and setuptools), then the project itself.
LOCK := requirements/dev.lock
$(STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/pip check || { echo "$(LOCK) does not satisfy pyproject.toml: make lock"; exit 1; }
	@touch $(STAMP)

# uv resolves for the target below whatever machine runs it, and ignores pip's local config (find-links, file://
# indexes). dev.lock first; runtime.lock (the Dockerfile's) is constrained to it, so both pin the same versions.
TOOLS := .venv-tools
UV_VERSION := 0.13.9
UV_STAMP := $(TOOLS)/.uv-$(UV_VERSION)
COMPILE = $(TOOLS)/bin/uv pip compile pyproject.toml requirements/build.in --python-version 3.11 \
	--python-platform x86_64-manylinux_2_36 --generate-hashes --custom-compile-command 'make lock' --quiet

lock: $(UV_STAMP) ## re-resolve requirements/*.lock from pyproject.toml, keeping locked versions that still fit (UPGRADE=1: newest)
	$(COMPILE) --extra test --extra bench $(if $(UPGRADE),--upgrade) -o requirements/dev.lock
	$(COMPILE) -c requirements/dev.lock -o requirements/runtime.lock
	@git diff -U0 -- requirements/dev.lock | grep -E '^[-+][A-Za-z]' || echo "no locked version changed"

$(UV_STAMP):
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet 'uv==$(UV_VERSION)'
	@touch $(UV_STAMP)

ASSETS_STAMP := web/static/vendor/.installed

assets: $(ASSETS_STAMP) ## the map's pinned npm libraries, copied into web/static/vendor (served by us, no CDN)

$(ASSETS_STAMP): web/package.json web/package-lock.json scripts/vendor-assets.sh
	bash scripts/vendor-assets.sh

db: venv ## start the embedded PostGIS (skipped when STATIONS_DATABASE_URL points elsewhere)
	@if [ -z "$$STATIONS_DATABASE_URL" ]; then $(BIN)/stations db up; fi

db-down:
	$(BIN)/stations db down

lint:
	$(BIN)/ruff check stations tests bench

typecheck:
	$(BIN)/mypy stations bench

pytest:
	$(BIN)/python -m pytest -q

screenshots: setup db ## refresh docs/screenshots from the browser tests (make test leaves them alone)
	$(BIN)/python -m pytest -q -m browser --screenshots docs/screenshots

clean: db-down
	rm -rf $(VENV) $(TOOLS) var

# --- benchmark of the nearest endpoint (issue 3); never part of `make test` -------------------------------------
# Seeds stations_bench_100k and stations_bench_1m on the embedded cluster once (about 10 minutes on 2 cores),
# then floor (pgbench), our endpoint and tipg at c = 1, 8, 32 in one run: bench/results/<date>-<n>.json.
.PHONY: bench bench-setup
TIPG_STAMP := bench/.venv-tipg/.installed

# BENCH_MODULE=bench.demand: the lookup with demand recording on and off, alternated (issue 23)
BENCH_MODULE ?= bench.run
bench: setup db bench-setup
	$(BIN)/python -m $(BENCH_MODULE) $(BENCH_ARGS)

# Nearest replies gzip-compressed or not, CPU per lookup and bytes, alternating in one process (issue 25).
.PHONY: bench-compression
bench-compression: setup db
	$(BIN)/python -m bench.compression $(BENCH_ARGS)

# Every path around the lookup (viewports, tiles, OGC, station pages, feed, export) with its target (issue 21).
.PHONY: bench-scale
bench-scale: setup db bench-setup
	$(BIN)/python -m bench.scale $(BENCH_ARGS)

# The bench extra (psutil, py-spy, pyinstrument) comes with the venv: it is in requirements/dev.lock.
bench-setup: $(STAMP) $(TIPG_STAMP)
	@command -v wrk >/dev/null || { SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends wrk; }

$(TIPG_STAMP): ## tipg in its own venv: its pins are not ours
	@test -x bench/.venv-tipg/bin/python || $(PYTHON) -m venv bench/.venv-tipg
	bench/.venv-tipg/bin/pip install --quiet 'tipg==1.6.1' 'uvicorn[standard]'
	@touch $(TIPG_STAMP)
