"""The compiler's second round (issue 16): constructs that used to keep a task dynamic and
now compile static, each with the shape its plan must have. tests/runtime/programs/round2.py
holds the bodies; tests/runtime/test_static_parity.py runs each both ways."""

from __future__ import annotations

from pathlib import Path

from flytec.model import plan as pm
from tests.compiler.helpers import REPO, compiled

PROGRAM = REPO / "tests" / "runtime" / "programs" / "round2.py"


def plan(task: str) -> pm.Plan:
    return compiled(PROGRAM)[1][f"round2.{task}"]


def _node(p: pm.Plan, nid: str) -> pm.Node:
    return next(n for n in p.nodes if n.id == nid)


def _kind(p: pm.Plan, kind: str) -> list[pm.Node]:
    return [n for n in p.nodes if n.kind == kind]


def test_a_guarded_fanout_runs_in_its_arm_and_the_guard_reads_the_items() -> None:
    p = plan("guarded_fanout")
    assert p.static, p.dynamic_reasons
    [branch] = _kind(p, "branch")
    [fan] = _kind(p, "fanout")
    # the fan-out is a member of the `then` arm: it runs only when the guard holds
    assert (fan.parent, fan.arm) == (branch.id, "then")
    # `if tasks:` reads the fan-out's items (as many as the coroutines), not its results
    assert branch.condition == "tasks"
    assert branch.inputs["tasks"] == fan.over


def test_a_guard_on_the_length_of_coroutines_reads_the_items() -> None:
    p = plan("guarded_by_length")
    assert p.static, p.dynamic_reasons
    [branch] = _kind(p, "branch")
    [fan] = _kind(p, "fanout")
    assert (fan.parent, fan.arm) == (branch.id, "then")
    # each `len(tasks)` is the length of the items (one coroutine per item)
    assert branch.condition == "len(tasks) > 2 and not (len(tasks) > 10)"
    assert branch.inputs == {"tasks": fan.over}


def test_a_coroutine_awaited_in_a_branch_is_a_member_of_the_branch() -> None:
    p = plan("coroutine_awaited_in_a_branch")
    assert p.static, p.dynamic_reasons
    [branch] = _kind(p, "branch")
    [call] = _kind(p, "task")
    assert (call.parent, call.arm) == (branch.id, "then")


def test_custom_context_is_an_attribute_of_the_calls_started_inside() -> None:
    p = plan("with_custom_context")
    assert p.static, p.dynamic_reasons
    calls = _kind(p, "task")
    inner = {"trace": pm.InputRef(name="tag"), "stage": pm.ConstRef(value="inner")}
    nested = {"trace": pm.InputRef(name="tag"), "stage": pm.ConstRef(value="nested")}
    # before, inside, gather(seen(), pending), nested, after: in program order
    contexts = [c.context for c in sorted(calls, key=lambda n: (n.line, n.column))]
    # `pending = seen()` is created before the block (line order) but awaited inside it
    assert contexts == [None, inner, inner, inner, nested, None]


def test_a_semaphore_only_entered_is_the_concurrency_of_its_fanout() -> None:
    for task, limit in (("bounded_by_a_semaphore", 2), ("bounded_by_a_nested_helper", 3),
                        ("most_at_once", 2)):
        p = plan(task)
        assert p.static, (task, p.dynamic_reasons)
        [fan] = _kind(p, "fanout")
        assert fan.concurrency == limit, task
        # no node for the semaphore itself
        assert not any("Semaphore" in (n.code or "") for n in p.nodes), task


SEMAPHORE_MISUSED = '''
import asyncio
import flyte

env = flyte.TaskEnvironment(name="sems")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def inspected(n: int) -> list[int]:
    sem = asyncio.Semaphore(2)

    async def one(i: int) -> int:
        async with sem:
            return await double(i)

    print(sem.locked())
    return list(await asyncio.gather(*[one(i) for i in range(n)]))


@env.task
async def shared(n: int) -> list[int]:
    sem = asyncio.Semaphore(2)

    async def one(i: int) -> int:
        async with sem:
            return await double(i)

    a = await asyncio.gather(*[one(i) for i in range(n)])
    b = await asyncio.gather(*[one(i) for i in range(n)])
    return [*a, *b]
'''


def test_a_semaphore_used_otherwise_keeps_the_task_dynamic(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'sems'\n")
    (tmp_path / "sems.py").write_text(SEMAPHORE_MISUSED)
    _, plans = compiled(tmp_path / "sems.py", cwd=tmp_path)
    inspected = plans["sems.inspected"]
    assert not inspected.static
    assert any("`async with sem` around the workflow" in r.message
               for r in inspected.dynamic_reasons), inspected.dynamic_reasons
    shared = plans["sems.shared"]
    assert not shared.static
    assert any("bounds the calls of more than one fan-out" in r.message
               for r in shared.dynamic_reasons), shared.dynamic_reasons


def test_a_loop_carrying_a_value_is_a_sequential_loop_node() -> None:
    p = plan("carried_draft")
    assert p.static, p.dynamic_reasons
    [loop] = _kind(p, "loop")
    assert not loop.dynamic and loop.item == "i" and loop.cardinality == "rounds"
    assert loop.inputs == {"draft": pm.ConstRef(value="v0")}
    [call] = _kind(p, "task")
    assert (call.parent, call.arm) == (loop.id, "body")
    # the call reads what the previous iteration left, and leaves its result
    assert call.inputs["draft"] == pm.NodeRef(node=loop.id, output="draft")
    assert call.inputs["i"] == pm.ItemRef(node=loop.id)
    assert loop.carry == {"draft": pm.NodeRef(node=call.id)}
    # after the loop: the last iteration's value
    assert p.outputs[0].source == pm.NodeRef(node=loop.id, output="draft")


def test_a_value_used_after_the_loop_makes_it_sequential() -> None:
    p = plan("last_value_after")
    assert p.static, p.dynamic_reasons
    [loop] = _kind(p, "loop")
    assert set(loop.outputs) == {"last", "seen", "total"}
    assert "last" not in loop.inputs  # not bound before the loop
    printed = next(n for n in p.nodes if (n.code or "").startswith("print("))
    assert printed.inputs["last"] == pm.NodeRef(node=loop.id, output="last")


def test_loops_without_carried_values_stay_parallel_fanouts() -> None:
    # collected appends and independent iterations: a fan-out, as before
    p = plan("bounded_by_a_semaphore")
    assert not _kind(p, "loop") and _kind(p, "fanout")
    inner = plan("carried_in_branches")
    [loop] = _kind(inner, "loop")
    [fan] = _kind(inner, "fanout")  # the comprehension in one arm of each iteration
    assert fan.parent is not None and fan.parent != loop.id  # in the branch inside the loop


def _code(p: pm.Plan, b: pm.Binding | None) -> str:
    assert isinstance(b, pm.NodeRef), b
    return _node(p, b.node).code or ""


def test_the_count_of_filtered_coroutines_is_glue_over_the_items_before_the_calls() -> None:
    p = plan("launched_then_gathered")
    assert p.static, p.dynamic_reasons
    [fan] = _kind(p, "fanout")
    # the items of the one-shot `enumerate(...)` are made a list, read by both
    assert _code(p, fan.over) == "list(_0)"
    logged = next(n for n in p.nodes if (n.code or "").startswith('print(f"launched'))
    # the log line reads the length of the items passing the loop's test, not the results
    length = _node(p, logged.inputs["_0"].node)  # type: ignore[union-attr]
    assert length.code == "len(_0)"
    count = length.inputs["_0"]
    assert _code(p, count) == "[(i, files) for (i, files) in _0 if files]"
    assert _node(p, count.node).inputs["_0"] == fan.over  # type: ignore[union-attr]
    assert "coros" not in logged.inputs  # it does not wait for the calls
    # ...and the calls start after the line, as in Python; gathered, they run at once
    assert logged.id in fan.after and not fan.sequential


def test_the_count_of_one_coroutine_per_item_reads_the_listed_items() -> None:
    p = plan("counted_every_item")
    assert p.static, p.dynamic_reasons
    [fan] = _kind(p, "fanout")
    length = next(n for n in p.nodes if n.code == "len(_0)")
    assert _code(p, fan.over) == "list(_0)" and length.inputs["_0"] == fan.over


def test_a_guard_on_filtered_coroutines_reads_the_filtered_items() -> None:
    p = plan("filtered_and_guarded")
    assert p.static, p.dynamic_reasons
    guard = next(n for n in _kind(p, "branch") if n.condition == "not coros")
    count = guard.inputs["coros"]
    assert _code(p, count) == "[x for x in _0 if x > low]"
    assert _node(p, count.node).inputs["low"] == pm.InputRef(name="low")  # type: ignore[union-attr]
    # an iterable that is an input needs no list of its own
    [fan] = _kind(p, "fanout")
    assert fan.over == pm.InputRef(name="xs")


COUNTS_NOT_KNOWN = '''
import asyncio
import flyte

env = flyte.TaskEnvironment(name="counts")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def awaited_in_the_test(xs: list[int]) -> int:
    coros = []
    for x in xs:
        if await double(x) > 2:
            coros.append(double(x))
    print(len(coros))
    return sum(await asyncio.gather(*coros))


@env.task
async def more_in_the_arm(xs: list[int]) -> int:
    coros = []
    for x in xs:
        if x:
            y = 10 // x
            coros.append(double(y))
    print(len(coros))
    return sum(await asyncio.gather(*coros))
'''


def test_a_count_that_needs_more_than_the_test_is_not_computed_by_glue(tmp_path: Path) -> None:
    """Awaiting in the test, or other statements in the arm (which may raise first): the
    count is not the items passing a pure test, so no glue computes it."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'counts'\n")
    (tmp_path / "counts.py").write_text(COUNTS_NOT_KNOWN)
    _, plans = compiled(tmp_path / "counts.py", cwd=tmp_path)
    for task in ("awaited_in_the_test", "more_in_the_arm"):
        p = plans[f"counts.{task}"]
        assert not any(" for " in (n.code or "") and " if " in (n.code or "")
                       for n in p.nodes), task
        assert not p.static, task


CONFIGS = REPO / "tests" / "runtime" / "programs" / "config_contexts.py"


def test_a_plugin_config_manager_is_the_context_of_the_calls_inside() -> None:
    p = compiled(CONFIGS)[1]["config_contexts.configured"]
    assert p.static, p.dynamic_reasons
    [config] = [n for n in p.nodes if (n.code or "").startswith("wandb_config(")]
    mapping = pm.NodeRef(node=config.id)
    calls = sorted(_kind(p, "task"), key=lambda n: (n.line, n.column))
    # before, inside, the two gathered, nested (a key of its own after the mapping), after
    assert [c.context for c in calls] == [
        None, {"**0": mapping}, {"**0": mapping}, {"**0": mapping},
        {"**0": mapping, "wandb_project": pm.ConstRef(value="override")}, None]
    assert config.inputs["entity"] == pm.InputRef(name="entity")


def test_an_inner_block_sets_its_keys_after_the_outer_ones() -> None:
    p = compiled(CONFIGS)[1]["config_contexts.sweep_inside_config"]
    assert p.static, p.dynamic_reasons
    inner = min(_kind(p, "task"), key=lambda n: n.line)
    assert inner.context is not None
    # applied in order: the outer keys, then the config's mapping, then the sweep's
    assert list(inner.context) == ["wandb_project", "stage", "**0", "**1"]


CONFIG_OTHERWISE = '''
import flyte
from flyteplugins.wandb import wandb_config

env = flyte.TaskEnvironment(name="configs")


class Config:
    def __enter__(self) -> "Config":
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@env.task
async def seen() -> str:
    return "x"


@env.task
async def bound_to_a_name(project: str) -> str:
    with wandb_config(project=project) as cfg:
        print(cfg)
        return await seen()


@env.task
async def unknown_manager() -> str:
    with Config():
        return await seen()
'''


def test_other_config_managers_keep_the_task_dynamic(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'configs'\n")
    (tmp_path / "configs.py").write_text(CONFIG_OTHERWISE)
    _, plans = compiled(tmp_path / "configs.py", cwd=tmp_path)
    for task, text in (("bound_to_a_name", "with wandb_config(project=project)"),
                       ("unknown_manager", "with Config()")):
        p = plans[f"configs.{task}"]
        assert not p.static, task
        assert any(f"`{text}` around the workflow" in r.message
                   for r in p.dynamic_reasons), p.dynamic_reasons


def test_an_item_set_on_a_steps_value_is_glue_that_changes_it() -> None:
    p = plan("item_set_on_a_result")
    assert p.static, p.dynamic_reasons
    [setter] = [n for n in p.nodes if n.code == 'payload["evaluation"] = _v']
    assert setter.effect and setter.outputs == ["payload"]
    printed = next(n for n in p.nodes if (n.code or "").startswith('print("payload"'))
    # the print reads the changed value (through the later `payload["n"] = ...`)
    later = _node(p, printed.inputs["payload"].node)  # type: ignore[union-attr]
    assert later.inputs["payload"] == pm.NodeRef(node=setter.id, output="payload")


PARTS_UNFOLLOWED = '''
import flyte

env = flyte.TaskEnvironment(name="parts")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def unpacked_into_items(x: int) -> dict[str, int]:
    out: dict[str, int] = {}
    out["a"], out["b"] = await double(x), x
    return out
'''


def test_a_value_changed_in_a_way_not_followed_keeps_the_task_dynamic(tmp_path: Path) -> None:
    """Before: its later reads got `None` in the plan (a silent difference)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'parts'\n")
    (tmp_path / "parts.py").write_text(PARTS_UNFOLLOWED)
    _, plans = compiled(tmp_path / "parts.py", cwd=tmp_path)
    p = plans["parts.unpacked_into_items"]
    assert not p.static
    assert any("`out` is changed through `out['b']`" in r.message
               for r in p.dynamic_reasons), p.dynamic_reasons


MAP_UNPACKED = '''
from typing import Any

import flyte

env = flyte.TaskEnvironment(name="maps")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def unpacked(xs: list[int], strict: bool) -> list[Any]:
    kw: dict[str, Any] = {"concurrency": 2}
    if strict:
        kw["return_exceptions"] = False
    return [r async for r in flyte.map.aio(double, xs, **kw)]
'''


def test_a_map_with_unpacked_arguments_keeps_the_task_dynamic(tmp_path: Path) -> None:
    """`**kw` may say whether failures are raised or returned: before, the plan ignored it."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'maps'\n")
    (tmp_path / "maps.py").write_text(MAP_UNPACKED)
    _, plans = compiled(tmp_path / "maps.py", cwd=tmp_path)
    p = plans["maps.unpacked"]
    assert not p.static and not _kind(p, "map")
    assert any("flyte.map with `**kw`" in r.message for r in p.dynamic_reasons), p.dynamic_reasons


def test_starred_targets_are_unpacked_by_glue_as_written() -> None:
    p = plan("starred_targets")
    assert p.static, p.dynamic_reasons
    codes = sorted(n.code or "" for n in _kind(p, "glue") if (n.code or "").endswith("= _0"))
    assert codes == ["a, *mid, z = _0", "first, *rest = _0"]
    unpack = next(n for n in p.nodes if n.code == "a, *mid, z = _0")
    assert unpack.outputs == ["a", "mid", "z"]


def test_items_set_on_a_value_are_effect_glue_in_order() -> None:
    p = plan("items_set_around_calls")
    assert p.static, p.dynamic_reasons
    setters = [n for n in p.nodes if (n.code or "").startswith("d[")]
    assert [n.code for n in setters] == ['d["b"] = _v', 'd["c"] = _v']
    assert all(n.effect and n.outputs == ["d"] for n in setters)
    assert p.outputs[0].source == pm.NodeRef(node=setters[1].id, output="d")


def test_a_function_defined_in_the_body_is_exec_glue_read_where_it_is_called() -> None:
    p = plan("functions_defined_in_the_body")
    assert p.static, p.dynamic_reasons
    add = next(n for n in p.nodes if n.outputs == ["add"])
    assert add.mode == "exec" and (add.code or "").startswith("def add(v: int) -> int:")
    assert set(add.inputs) == {"base"}  # the value it closes over, as it is at the `def`
    twice = next(n for n in p.nodes if n.outputs == ["twice"])
    assert twice.inputs["add"] == pm.NodeRef(node=add.id, output="add")


LATE_CLOSURE = '''
import flyte

env = flyte.TaskEnvironment(name="late")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def set_again(x: int) -> int:
    n = 1

    def add(v: int) -> int:
        return v + n

    n = 5
    return add(await double(x))
'''


def test_a_function_reading_a_variable_set_again_later_keeps_the_task_dynamic(
    tmp_path: Path,
) -> None:
    """Python reads `n` when `add` is called (5), not when it is defined (1)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'late'\n")
    (tmp_path / "late.py").write_text(LATE_CLOSURE)
    _, plans = compiled(tmp_path / "late.py", cwd=tmp_path)
    p = plans["late.set_again"]
    assert not p.static
    assert any("`add` is a function defined in the body that reads `n`" in r.message
               for r in p.dynamic_reasons), p.dynamic_reasons


def test_items_stored_by_key_in_a_loop_are_carried_by_a_sequential_loop() -> None:
    p = plan("keyed_in_a_loop")
    assert p.static, p.dynamic_reasons
    [loop] = _kind(p, "loop")
    assert loop.outputs == ["results"]
    assert p.outputs[0].source == pm.NodeRef(node=loop.id, output="results")
