# Two commands set up everything on a fresh machine:
#   make demo   create .venv, install, check the shipped rulesets and evaluate them on built-in data
#   make test   create .venv, install with dev extras, run ruff, mypy and the whole pytest suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

# The ruleset `make demo` runs: the shipped ALVH vega-layering ruleset when present, else the
# quick start; on the built-in demo data, for an account of $1M allowing $100k of risk.
DEMO_RULESET ?= $(firstword $(wildcard rulesets/alvh_vega_layering.alvh rulesets/alvh_vega_layering_roa.alvh) rulesets/examples/quickstart.alvh)
DEMO_ACCOUNT ?= --capital 1000000 --risk-budget 100000
DEMO_OUT ?= build/demo

demo: $(STAMP)
	$(BIN)/alvh check rulesets/
	$(BIN)/alvh eval $(DEMO_RULESET) $(DEMO_ACCOUNT)
	mkdir -p $(DEMO_OUT)
	$(BIN)/alvh replay $(DEMO_RULESET) $(DEMO_ACCOUNT) --out $(DEMO_OUT)/timeline.csv --plot $(DEMO_OUT)/replay.html

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[dev,bench]"
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
