# The commands of the README: `make demo`, `make test` (what CI runs) and `make test-quick`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The real Flyte SDK, in its own virtual environment, for the tests that compare flytec with it
# (tests/parity, tests/types): installed once, re-installed only when the pin changes.
FLYTE_VERSION := 2.12.1
FLYTE_VENV := .venv-flyte
FLYTE_STAMP := $(FLYTE_VENV)/.flyte-$(FLYTE_VERSION)
export FLYTEC_REAL_FLYTE_PYTHON ?= $(CURDIR)/$(FLYTE_VENV)/bin/python
# The interpreters `make test` also runs on (each found through pyenv or as pythonX.Y on PATH;
# one that is missing is reported and left out); see .ci/pythons.py
PYTHONS ?= 3.10 3.11 3.12 3.13

$(BIN)/flytec: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(BIN)/flytec

$(FLYTE_STAMP):
	rm -rf $(FLYTE_VENV)
	$(PY) -m venv $(FLYTE_VENV)
	$(FLYTE_VENV)/bin/python -m pip install -q "flyte==$(FLYTE_VERSION)"
	touch $@

.PHONY: setup flyte demo dist test test-quick test-pythons test-identity test-wheel lint bench
setup: $(BIN)/flytec

# `make flyte`: the real SDK (what FLYTEC_REAL_FLYTE_PYTHON points to under `make test`).
flyte: $(FLYTE_STAMP)

demo: setup
	-$(BIN)/flytec check examples/
	$(BIN)/flytec graph examples/etl.py::main --format mermaid

# `make dist`: the sdist and the wheel in dist/, checked by twine (what a release uploads).
dist: setup
	rm -rf dist
	$(BIN)/python -m build -o dist .
	$(BIN)/twine check --strict dist/*

# Everything, one step after another: the suite on the default interpreter, the suite on each
# other interpreter in PYTHONS, examples/ built on all of them and compared byte for byte, then
# the wheel alone (no source tree, no dev tools) run on each of them.
test: test-quick test-pythons test-identity test-wheel

# The suite on the default interpreter only (the fast one while developing).
test-quick: setup $(FLYTE_STAMP)
	$(BIN)/python -m pytest

test-pythons: setup $(FLYTE_STAMP)
	$(BIN)/python .ci/pythons.py suite --skip $(BIN)/python $(PYTHONS)

test-identity: setup
	$(BIN)/python .ci/pythons.py identity $(PYTHONS)

# The built wheel in a clean venv per interpreter: check, build --validate, graph, run.
test-wheel: setup
	$(BIN)/python .ci/pythons.py wheel $(PYTHONS)

lint: setup
	$(BIN)/ruff check flytec
	$(BIN)/mypy flytec

bench: setup $(FLYTE_STAMP)
	$(BIN)/python benchmarks/check_speed.py
