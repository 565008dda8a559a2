"""A plan is static only where it means what the body means (issue 18): each body of
tests/runtime/programs/parity_cases.py is either dynamic with its stated reason (line:col) or
static with a plan that does what the body does. (The runtime's differential test runs them.)
"""

from __future__ import annotations

import pytest

from flytec.model import plan as pm
from tests.compiler.helpers import REPO, compiled

PROGRAM = REPO / "tests" / "runtime" / "programs" / "parity_cases.py"
SOURCE = PROGRAM.read_text(encoding="utf-8").splitlines()


def plan(task: str) -> pm.Plan:
    return compiled(PROGRAM)[1][f"parity_cases.{task}"]


def line_of(text: str) -> int:
    hits = [i + 1 for i, ln in enumerate(SOURCE) if text in ln]
    assert len(hits) == 1, (text, hits)
    return hits[0]


# task -> (a line's text, where the reason points, and what the reason says)
DYNAMIC = {
    "buckets_of_coroutines": ("buckets[key].append(double(i))", "double(i)",
                              "`double(i)` is a call that is not awaited here"),
    "partial_bound_by_keyword": ("return \",\".join(flyte.map(wrong", "flyte.map(",
                                 "flyte.map passes its items by position to `name`, which the "
                                 "functools.partial already binds by keyword"),
    "tasks_in_a_dict": ("out.append(await fn(x))", "fn(x)",
                        "calls `fn(...)`, a value flytec cannot resolve"),
    "task_picked_from_a_dict": ("return await ops[which](x)", "ops[which](x)",
                                "calls `ops[which](...)` through a container"),
    "task_as_an_input": ("apply(i, inc)", "apply(",
                         "uses task `parity_cases.inc` as a value"),
    "cancelled_handles": ("for h in handles:\n            h.cancel()", "handles",
                          "`handles` holds task calls (coroutines or create_task handles) "
                          "that are used for more than awaiting them"),
    "handles_inspected": ("    for h in handles:\n        await inc(1)", "for h",
                          "the loop's items `h` are task calls"),
    "generator_trace": ("async for v in countdown(n):", "countdown(n)",
                        "`countdown` is a traced generator"),
    "global_counter": ("    global calls", "global", "`global calls`: the body assigns a "
                                                      "variable outside the function"),
    "partial_leaving_two": ("short = functools.partial(tag, \"a\")", "functools.partial(",
                            "`functools.partial(tag, ...)` leaves 2 parameters of `tag` "
                            "unbound, and flyte.map needs exactly one: the SDK raises "
                            "TypeError"),
    "shared_counter": ("    counter[\"n\"] += 1", "counter", "`counter` is changed by the "
                       "items of a fan-out that all share it"),
    "coroutine_as_an_input": ("apply(x, inc(x))", "inc(x))",
                              "`inc(x)` is a call that is not awaited here"),
}


def _locate(text: str, at: str) -> tuple[int, int]:
    first, _, rest = text.partition("\n")
    line = line_of(first) if not rest else next(
        i + 1 for i in range(len(SOURCE) - 1)
        if SOURCE[i].strip() == first.strip() and SOURCE[i + 1].strip() == rest.strip())
    if rest and at not in first:
        line += 1
    return line, SOURCE[line - 1].index(at) + 1


@pytest.mark.parametrize("task", sorted(DYNAMIC))
def test_a_body_the_plan_cannot_follow_is_dynamic_with_its_reason(task: str) -> None:
    text, at, message = DYNAMIC[task]
    p = plan(task)
    assert not p.static
    line, column = _locate(text, at)
    hits = [r for r in p.dynamic_reasons if message in r.message]
    assert hits, [r.message for r in p.dynamic_reasons]
    assert (hits[0].line, hits[0].column) == (line, column)


def _node(p: pm.Plan, nid: str) -> pm.Node:
    return next(n for n in p.nodes if n.id == nid)


def test_appending_awaited_results_is_glue_that_updates_the_list() -> None:
    p = plan("append_awaited")
    assert p.static, p.dynamic_reasons
    appends = [n for n in p.nodes if n.kind == "glue"]
    assert [n.code for n in appends] == ["got.append(_0)"] * 3
    assert all(n.outputs == ["got"] and n.effect for n in appends)
    # each append reads the list the previous one wrote; the output is the last one's list
    assert appends[1].inputs["got"] == pm.NodeRef(node=appends[0].id, output="got")
    assert p.outputs[0].source == pm.NodeRef(node=appends[2].id, output="got")


def test_a_print_of_a_map_is_kept() -> None:
    p = plan("print_a_map")
    assert p.static
    printed = _node(p, "do-print")
    assert (printed.code, printed.effect) == ("print(_0)", True)
    assert printed.inputs["_0"] == pm.NodeRef(node="map-label")


def test_a_side_effect_whose_value_nobody_reads_is_kept_in_program_order() -> None:
    p = plan("unused_side_effect")
    assert p.static
    kept = _node(p, "glue-unused")
    assert (kept.code, kept.effect) == ("remember(y)", True)
    assert _node(p, "do-print").after == [kept.id]  # the next side effect runs after it


def test_partials_and_awaited_handles_stay_static() -> None:
    right = plan("partial_bound_right")
    assert right.static, right.dynamic_reasons
    m = _node(right, "map-tag")
    assert m.item_inputs == ["batch"] and set(m.inputs) == {"name", "sep"}
    assert plan("handles_awaited_in_a_loop").static
    assert plan("append_awaited_in_loop").static



def test_glue_reading_module_state_runs_in_program_order() -> None:
    # `_seen` is appended to by `record` (a task: run in the driver's process locally), so
    # `len(_seen)` is not folded, and each read waits for the calls before it and holds
    # the calls after it
    p = plan("module_state_read")
    assert p.static, p.dynamic_reasons
    reads = [n for n in p.nodes if n.kind == "glue" and "_seen" in (n.code or "")]
    assert len(reads) == 3
    calls = [n.id for n in p.nodes if n.kind == "task"]
    assert len(calls) == 2
    assert _node(p, calls[0]).after == [reads[0].id]
    assert reads[1].after == [calls[0]]
    assert _node(p, calls[1]).after == [reads[1].id]
    assert reads[2].after == [calls[1]]
