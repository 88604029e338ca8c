# earwise: two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

BENCH_VENV := .venv-bench
# Exact versions for every install here (pip constraints); pyproject.toml keeps the ranges.
LOCK := requirements.lock
LOCK_VENV := /tmp/earwise-lock-venv

.PHONY: eval-advice eval-ask fit-intent demo test lint lock bench bench-startup bench-measurements bench-peq bench-web chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

$(STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

$(TEST_STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@ $(STAMP)

# Regenerate requirements.lock from a fresh venv (the newest versions pyproject.toml allows).
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test]'
	sed -n '/^#/p' $(LOCK) > $(LOCK).new
	$(LOCK_VENV)/bin/python -m pip freeze --exclude-editable >> $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

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
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python benchmarks/recommend.py

# Evaluations against public material (issue 12: guide picks; issue 13: labelled real questions).
eval-advice: $(STAMP)
	$(BIN)/python benchmarks/advice_eval.py

eval-ask: $(STAMP)
	$(BIN)/python benchmarks/ask_eval.py

# Refit the intent model (advice.ask_model) after the labelled questions or the reader change.
fit-intent: $(STAMP)
	$(BIN)/python scripts/fit_intent_model.py --check

# CLI start-up against a bare `import numpy` (goals: --help <= 3x, recommend <= 6x).
bench-startup: $(STAMP)
	$(BIN)/python benchmarks/startup.py

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
