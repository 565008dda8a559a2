"""The compiler's second round (issue 16): constructs that used to keep a task dynamic and
now compile static, each with the shape its plan must have. tests/runtime/programs/round2.py
holds the bodies; tests/runtime/test_static_parity.py runs each both ways."""

from __future__ import annotations

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
    # each `len(tasks)` is glue over the items
    for b in branch.inputs.values():
        assert isinstance(b, pm.NodeRef)
        length = _node(p, b.node)
        assert length.code == "len(_0)" and length.inputs["_0"] == fan.over


def test_a_coroutine_awaited_in_a_branch_is_a_member_of_the_branch() -> None:
    p = plan("coroutine_awaited_in_a_branch")
    assert p.static, p.dynamic_reasons
    [branch] = _kind(p, "branch")
    [call] = _kind(p, "task")
    assert (call.parent, call.arm) == (branch.id, "then")
