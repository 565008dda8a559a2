"""`flytec build --types` records mypy's resolved types in the plans."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from flytec.cli import cli
from tests.conftest import write_project

SRC = """
import flyte

env = flyte.TaskEnvironment(name="typed")
Scores = list[float]


@env.task
async def score(xs: Scores, scale: float = 1.0) -> tuple[float, str]:
    return sum(xs) * scale, "ok"
"""


def test_build_types_adds_checked_types(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": SRC})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = CliRunner().invoke(cli, ["build", "flow.py", "--types", "-o", "out", "-q"])
    finally:
        os.chdir(old)
    assert r.exit_code == 0, r.output
    plan = json.loads((tmp_path / "out" / "typed.score.plan.json").read_text())
    xs, scale = plan["inputs"]
    assert xs["type"] == "Scores"  # as written
    assert xs["checked_type"] == "builtins.list[builtins.float]"  # as mypy resolved the alias
    assert scale["checked_type"] == "builtins.float"
    assert [o["checked_type"] for o in plan["outputs"]] == ["float", "str"]


def test_build_without_types_has_no_checked_types(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": SRC})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = CliRunner().invoke(cli, ["build", "flow.py", "-o", "out", "-q"])
    finally:
        os.chdir(old)
    assert r.exit_code == 0, r.output
    text = (tmp_path / "out" / "typed.score.plan.json").read_text()
    assert "checked_type" not in text
