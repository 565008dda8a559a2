"""A helper of another module that calls tasks makes the task dynamic (its glue code would
run in the task's module namespace, where the helper's own globals are missing)."""

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


def test_cross_module_helper_with_tasks_is_dynamic(tmp_path: Path) -> None:
    write_project(tmp_path, FILES)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = CliRunner().invoke(cli, ["build", "flow.py", "-o", "out", "-q"])
    finally:
        os.chdir(old)
    assert r.exit_code == 0, r.output
    plan = json.loads((tmp_path / "out" / "flow.main.plan.json").read_text())
    assert plan["static"] is False
    (reason,) = plan["dynamic_reasons"]
    assert "helper `run_twice()` of module `lib` calls tasks" in reason["message"]
    assert plan["possible_callees"] or plan["nodes"]  # the structure is still shown
