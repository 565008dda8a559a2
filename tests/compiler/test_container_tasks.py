"""A ``ContainerTask`` built in a task's body (issue 16): of literal arguments and bound once
at the top of the body, calling it is awaited glue, as calling a module-level one is; any
other local callable keeps the task dynamic. tests/runtime/programs/container_tasks.py holds
the static bodies (run both ways by tests/runtime/test_static_parity.py)."""

from __future__ import annotations

from pathlib import Path

from flytec.model import plan as pm
from tests.compiler.helpers import REPO, compiled

PROGRAM = REPO / "tests" / "runtime" / "programs" / "container_tasks.py"
UNKNOWN = "a value flytec cannot resolve statically (it may be a task)"


def plan(task: str) -> pm.Plan:
    return compiled(PROGRAM)[1][f"containers.{task}"]


def _glue_calling(p: pm.Plan, name: str) -> pm.Node:
    return next(n for n in p.nodes if n.kind == "glue" and (n.code or "").startswith(name))


def test_a_literal_container_task_is_called_as_a_module_level_one_is() -> None:
    module, local = plan("module_level"), plan("in_body")
    assert module.static and local.static, local.dynamic_reasons
    for p, name in ((module, "module_task("), (local, "greet(")):
        call = _glue_calling(p, name)
        assert call.awaits and call.effect  # awaited, in program order with the prints
    built = _glue_calling(local, "ContainerTask(")
    call = _glue_calling(local, "greet(")
    assert call.inputs["greet"].node == built.id
    [task] = [n for n in local.nodes if n.kind == "task"]
    assert task.task == "containers.double"


def test_images_resources_and_types_count_as_literal_arguments() -> None:
    assert plan("in_body_with_kwargs").static
    assert plan("in_a_helper").static
    assert plan("after_a_guard").static


DYNAMIC = '''
import flyte
from flyte.extras import ContainerTask

env = flyte.TaskEnvironment(name="cts")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def image_from_an_input(image: str) -> int:
    t = ContainerTask(name="t", image=image, inputs={}, outputs={"o": int}, command=["x"])
    await t()
    return await double(1)


@env.task
async def built_in_a_branch(flag: bool) -> int:
    if flag:
        t = ContainerTask(name="t", image="a", inputs={}, outputs={"o": int}, command=["x"])
    else:
        t = double
    await t()
    return await double(1)


@env.task
async def rebound(x: int) -> int:
    t = ContainerTask(name="t", image="a", inputs={}, outputs={"o": int}, command=["x"])
    await t()
    t = double
    return await t(x)


@env.task
async def built_in_a_loop(n: int) -> int:
    for i in range(n):
        t = ContainerTask(name="t", image="a", inputs={}, outputs={"o": int}, command=["x"])
        await t()
    return await double(1)
'''


def test_other_container_tasks_and_local_callables_stay_dynamic(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'cts'\n")
    (tmp_path / "cts.py").write_text(DYNAMIC)
    _, plans = compiled(tmp_path / "cts.py", cwd=tmp_path)
    for task in ("image_from_an_input", "built_in_a_branch", "rebound", "built_in_a_loop"):
        p = plans[f"cts.{task}"]
        assert not p.static, task
        assert any(UNKNOWN in r.message for r in p.dynamic_reasons), (task, p.dynamic_reasons)
