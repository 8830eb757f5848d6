# Two commands set up everything on a fresh machine:
#   make demo   create .venv, install, check the shipped rulesets and evaluate them on built-in data
#   make test   create .venv, install with dev extras, run ruff, mypy and the whole pytest suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# pip itself is pinned too: the lock files are read by this version.
PIP_VERSION := 26.3

# Installs come from the committed lock files (exact versions and hashes), never from whatever
# is newest that day: requirements.lock for the demo, requirements-dev.lock for the tests,
# requirements-bench.lock for the benchmarks. `make lock` refreshes them on purpose.
.PHONY: demo test lint typecheck pytest bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check pip==$(PIP_VERSION)

# One stamp per lock: `make demo` installs only what the demo needs; `make test` adds the dev set.
# `pip install -r LOCK` replaces what another lock had installed, so switching is safe.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
define install_lock
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r $(1)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(2)
endef

$(RUN_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(call install_lock,requirements.lock,$@)
$(DEV_STAMP): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(call install_lock,requirements-dev.lock,$@)
$(BENCH_STAMP): requirements-bench.lock pyproject.toml | $(BIN)/python
	$(call install_lock,requirements-bench.lock,$@)

# The ruleset `make demo` runs: the shipped ALVH vega-layering ruleset when present, else the
# quick start; on the built-in demo data, for an account of $1M allowing $100k of risk.
DEMO_RULESET ?= $(firstword $(wildcard rulesets/alvh_vega_layering.alvh rulesets/alvh_vega_layering_roa.alvh) rulesets/examples/quickstart.alvh)
DEMO_ACCOUNT ?= --capital 1000000 --risk-budget 100000
DEMO_OUT ?= build/demo

demo: $(RUN_STAMP)
	$(BIN)/alvh check rulesets/
	$(BIN)/alvh eval $(DEMO_RULESET) $(DEMO_ACCOUNT)
	mkdir -p $(DEMO_OUT)
	$(BIN)/alvh replay $(DEMO_RULESET) $(DEMO_ACCOUNT) --out $(DEMO_OUT)/timeline.csv --plot $(DEMO_OUT)/replay.html
	$(BIN)/alvh backtest rulesets/examples/quickstart.alvh --capital 500000 --risk-budget 100000 \
		--start 2024-06-03 --out $(DEMO_OUT)/backtest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP)
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: $(BENCH_STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# Refreshes the three lock files from pyproject.toml (newest versions inside its ranges), for
# CPython 3.11+ on every platform. Run it on purpose, then `make test`, and commit the locks.
UV := $(VENV)/lock-tools/bin/uv
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"
lock:
	$(PYTHON) -m venv $(VENV)/lock-tools
	$(VENV)/lock-tools/bin/python -m pip install -q uv
	$(UV) pip compile $(LOCK_FLAGS) pyproject.toml build-requirements.in -o requirements.lock
	$(UV) pip compile $(LOCK_FLAGS) --extra dev pyproject.toml build-requirements.in -o requirements-dev.lock
	$(UV) pip compile $(LOCK_FLAGS) --extra dev --extra bench pyproject.toml build-requirements.in \
		-o requirements-bench.lock

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
