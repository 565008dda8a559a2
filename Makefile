# The two commands of the README: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/flytec: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(BIN)/flytec

.PHONY: setup demo test lint bench
setup: $(BIN)/flytec

demo: setup
	-$(BIN)/flytec check examples/
	$(BIN)/flytec graph examples/etl.py::main --format mermaid

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check flytec
	$(BIN)/mypy flytec

bench: setup
	$(BIN)/python benchmarks/check_speed.py
