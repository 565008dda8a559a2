"""Fixtures for runtime tests: a temporary store, a counter directory, a CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

PROGRAMS = Path(__file__).parent / "programs"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def last_line(self) -> str:
        lines = [ln for ln in self.stdout.splitlines() if ln.strip()]
        return lines[-1] if lines else ""

    def json(self) -> object:
        return json.loads(self.last_line)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def counters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "counters"
    d.mkdir()
    monkeypatch.setenv("COUNTER_DIR", str(d))
    return d


def count(counters: Path, name: str) -> int:
    p = counters / name
    return int(p.read_text()) if p.exists() else 0


@pytest.fixture
def flytec(store: Path):  # type: ignore[no-untyped-def]
    """Run a flytec command in-process: flytec("run", "prog.py::main", "--x", "1")."""
    from flytec.cli import cli

    def invoke(*args: str) -> Result:
        runner = CliRunner()
        command, rest = args[0], list(args[1:])
        argv = (
            [command, *rest[:1], "--store", str(store), *rest[1:]]
            if command in ("runs", "cache")
            else [command, "--store", str(store), "--no-progress", *rest]
        )
        res = runner.invoke(cli, argv, catch_exceptions=False)
        return Result(res.exit_code, res.stdout, res.stderr)

    return invoke


def program(name: str) -> str:
    return str(PROGRAMS / name)


def spawn(store: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """A real `flytec run` process (for kill and concurrency tests)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "flytec.runtime", "--store", str(store), "--no-progress", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
    )
