"""A helper of another module that calls tasks is inlined with its own module's namespace: its
glue nodes say which module their code runs in (tests/runtime/programs/helpers/ runs one both
ways)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from flytec.cli import cli
from tests.conftest import write_project

FILES = {
    "lib.py": """
import logging

import flyte

logger = logging.getLogger("lib")
env = flyte.TaskEnvironment(name="lib")


@env.task
async def double(x: int) -> int:
    return 2 * x


async def run_twice(x: int) -> int:
    logger.info("running twice")
    a = await double(x)
    return await double(a)
""",
    "flow.py": """
import flyte

from lib import env as lib_env, run_twice

env = flyte.TaskEnvironment(name="flow", depends_on=[lib_env])


@env.task
async def main(x: int) -> int:
    return await run_twice(x)
""",
}


def test_cross_module_helper_with_tasks_is_inlined_with_its_module(tmp_path: Path) -> None:
    write_project(tmp_path, FILES)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = CliRunner().invoke(cli, ["build", "flow.py", "-o", "out", "-q"])
    finally:
        os.chdir(old)
    assert r.exit_code == 0, r.output
    plan = json.loads((tmp_path / "out" / "flow.main.plan.json").read_text())
    assert plan["static"] is True, plan["dynamic_reasons"]
    nodes = {n["id"]: n for n in plan["nodes"]}
    calls = [n for n in nodes.values() if n["kind"] == "task"]
    assert [c["task"] for c in calls] == ["lib.double", "lib.double"]
    # the helper's `logger.info(...)` uses `logger` of module lib: it runs there
    [log] = [n for n in nodes.values() if n["kind"] == "glue" and "logger" in n["code"]]
    assert log["module"] == "lib" and log["effect"] is True
    # the task's own nodes carry no module
    assert all("module" not in n for n in calls)
