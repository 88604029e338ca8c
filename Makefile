# earwise: two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

BENCH_VENV := .venv-bench

.PHONY: demo test lint bench bench-measurements bench-peq bench-web chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/earwise recommend --genre electronic:70 --genre rock:20 --genre hip-hop:5 --genre classical:5 \
		--use shared-office --platform pc --platform mac --platform iphone \
		--budget 350 --budget-includes-amp --source "generic laptop" --long-sessions --top 5

# Browser tests drive Debian's chromium through the playwright package (never 'playwright install').
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo)

chromium:
	@command -v chromium >/dev/null || { DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }; }

test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

bench: $(STAMP)
	$(BIN)/python benchmarks/recommend.py

# AutoEq lives only in this separate environment, never as a dependency of earwise.
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet autoeq==4.1.2 -e .
	touch $@

bench-measurements: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python benchmarks/measurements.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) build *.egg-info src/*.egg-info
bench-peq: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python benchmarks/peq.py

bench-web: $(STAMP)
	@command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }; }
	cd benchmarks && ../$(BIN)/python web.py
