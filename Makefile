# The commands of the README: `make demo`, `make test` (what CI runs) and `make test-quick`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The interpreters `make test` also runs on (each found through pyenv or as pythonX.Y on PATH;
# one that is missing is reported and left out); see .ci/pythons.py
PYTHONS ?= 3.10 3.11 3.12 3.13

$(BIN)/flytec: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(BIN)/flytec

.PHONY: setup demo test test-quick test-pythons test-identity lint bench
setup: $(BIN)/flytec

demo: setup
	-$(BIN)/flytec check examples/
	$(BIN)/flytec graph examples/etl.py::main --format mermaid

# Everything, one step after another: the suite on the default interpreter, the suite on each
# other interpreter in PYTHONS, then examples/ built on all of them and compared byte for byte.
test: test-quick test-pythons test-identity

# The suite on the default interpreter only (the fast one while developing).
test-quick: setup
	$(BIN)/python -m pytest

test-pythons: setup
	$(BIN)/python .ci/pythons.py suite --skip $(BIN)/python $(PYTHONS)

test-identity: setup
	$(BIN)/python .ci/pythons.py identity $(PYTHONS)

lint: setup
	$(BIN)/ruff check flytec
	$(BIN)/mypy flytec

bench: setup
	$(BIN)/python benchmarks/check_speed.py
