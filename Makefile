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

.PHONY: setup flyte demo dist test test-quick test-pythons test-identity test-wheel lint bench fuzz release-tag
setup: $(BIN)/flytec

# `make flyte`: the real SDK (what FLYTEC_REAL_FLYTE_PYTHON points to under `make test`).
flyte: $(FLYTE_STAMP)

# examples/buggy/ holds deliberate mistakes, so the check reports findings: --fail-on never
# keeps its exit code 0 (a real check exits 1 on findings).
demo: setup
	@echo "== flytec check examples/  (examples/buggy/ has deliberate mistakes: findings expected)"
	@$(BIN)/flytec check examples/ --fail-on never
	@echo
	@echo "== flytec graph examples/etl.py::main --format mermaid"
	@$(BIN)/flytec graph examples/etl.py::main --format mermaid
	@echo
	@echo "flytec is installed in $(VENV)/: run '. $(VENV)/bin/activate' to put it on PATH (or call $(BIN)/flytec)"

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

# A longer fuzz run than the suite's (which runs 30 generated programs): `make fuzz FUZZ=5000`.
FUZZ ?= 500
fuzz: setup
	$(BIN)/python benchmarks/fuzz.py --examples $(FUZZ)

# The release process tags the commit it releases as v<flytec.__version__>: the `rev:`
# that pre-commit users pin (docs/pre-commit.md). Refuses a dirty tree or an existing tag.
VERSION = $(shell $(PY) -c "import re; print(re.search(r'^__version__ = \"(.+)\"', open('flytec/__init__.py').read(), re.M).group(1))")
release-tag:
	@git diff --quiet HEAD || { echo "release-tag: the work tree has uncommitted changes"; exit 1; }
	git tag -a v$(VERSION) -m "flytec $(VERSION)"
