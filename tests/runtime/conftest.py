"""Fixtures for runtime tests: a temporary store, a counter directory, a CLI runner."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "stubs"))  # plugins the programs import

from runtime_helpers import Result  # noqa: E402


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def counters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "counters"
    d.mkdir()
    monkeypatch.setenv("COUNTER_DIR", str(d))
    return d


@pytest.fixture
def flytec(store: Path) -> Callable[..., Result]:
    """Run a flytec command in-process: flytec("run", "prog.py::main", "--x", "1")."""
    from flytec.cli import cli

    def invoke(*args: str) -> Result:
        runner = CliRunner()
        command, rest = args[0], list(args[1:])
        if command in ("runs", "cache"):
            argv = [command, *rest[:1], "--store", str(store), *rest[1:]]
        else:
            argv = [command, "--store", str(store), "--no-progress", *rest]
        res = runner.invoke(cli, argv, catch_exceptions=False)
        return Result(res.exit_code, res.stdout, res.stderr)

    return invoke
