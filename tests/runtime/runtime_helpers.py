"""Helpers shared by the runtime tests (imported by name; fixtures live in conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


def count(counters: Path, name: str) -> int:
    p = counters / name
    return int(p.read_text()) if p.exists() else 0


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
