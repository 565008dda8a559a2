"""Loops that collect pending calls (coroutines or ``create_task`` handles) in a list.

Regression: the property test found a program whose plan could not be ordered: ``len(acc)``
was bound to the fan-out's *results* and gathering the already-running tasks was treated as
starting them (so the fan-out ran "after" a call written later), a cycle.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from flytec.model import plan as pm
from tests.compiler.helpers import compiled

PROGRAM = '''
import asyncio
import flyte

env = flyte.TaskEnvironment(name="gen")


@env.task
async def inc(x: int) -> int:
    return x + 1


@env.task
async def total(xs: list[int]) -> int:
    return sum(xs)


@env.task
async def main(xs: list[int], a: int, b: int, n: int) -> int:
    acc = []
    for x in xs:
        acc.append(asyncio.create_task(inc(a)))
    a += await inc(len(acc))
    a = await total(list(await asyncio.gather(*acc)))
    return a + b + n


@env.task
async def coroutines(xs: list[int], a: int) -> int:
    acc = []
    for x in xs:
        acc.append(inc(x))
    a = await inc(len(acc))
    return a + await total(list(await asyncio.gather(*acc)))


@env.task
async def conditional(xs: list[int], a: int) -> int:
    acc = []
    for x in xs:
        if x > a:
            acc.append(asyncio.create_task(inc(x)))
    a = await inc(len(acc))
    return a + await total(list(await asyncio.gather(*acc)))
'''


def _plans(tmp_path: Path) -> dict[str, pm.Plan]:
    root = tmp_path / "gen"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='gen'\n")
    (root / "wf.py").write_text(PROGRAM)
    return compiled(root / "wf.py", cwd=root)[1]


def _node(plan: pm.Plan, nid: str) -> pm.Node:
    return next(n for n in plan.nodes if n.id == nid)


def _acyclic(plan: pm.Plan) -> bool:
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in plan.nodes)
    g.add_edges_from((e.source, e.target) for e in plan.edges)
    return bool(nx.is_directed_acyclic_graph(g))


def test_len_of_scheduled_tasks_needs_no_results(tmp_path: Path) -> None:
    plan = _plans(tmp_path)["gen.main"]
    assert plan.static, plan.dynamic_reasons
    assert _acyclic(plan)
    fan = _node(plan, "fanout-x")
    # the tasks start in the loop, before `inc(len(acc))`: the fan-out waits for nothing
    assert fan.after == [] and fan.over == pm.InputRef(name="xs")
    assert _node(plan, "inc").inputs == {"x": pm.InputRef(name="a")}
    # len(acc) is the number of handles: one per item of xs, no fan-out results needed
    count = _node(plan, "glue-x")
    assert (count.code, count.inputs) == ("len(_0)", {"_0": pm.InputRef(name="xs")})
    assert _node(plan, "inc-2").inputs == {"x": pm.NodeRef(node="glue-x")}
    # the gather joins the running tasks: `total` reads their results, after `inc-2`
    assert _node(plan, "glue-xs").inputs == {"_0": pm.NodeRef(node="fanout-x", output="acc")}
    total = _node(plan, "total")
    assert total.inputs == {"xs": pm.NodeRef(node="glue-xs")} and total.after == ["inc-2"]
    data = {(e.source, e.target) for e in plan.edges if e.kind == "data"}
    assert ("fanout-x", "glue-x") not in data and ("glue-x", "inc-2") in data


def test_len_of_coroutines_and_gather_starts_them(tmp_path: Path) -> None:
    plan = _plans(tmp_path)["gen.coroutines"]
    assert plan.static and _acyclic(plan)
    assert _node(plan, "glue-x").inputs == {"_0": pm.InputRef(name="xs")}
    # coroutines only start at the gather, which comes after `inc(len(acc))`
    assert _node(plan, "fanout-x").after == ["inc-2"]


def test_len_of_a_conditionally_filled_list_waits_for_it(tmp_path: Path) -> None:
    plan = _plans(tmp_path)["gen.conditional"]
    assert plan.static and _acyclic(plan)
    fan = next(n for n in plan.nodes if n.kind == "fanout")
    assert fan.after == []
    # its length is not that of xs: it is counted from the collected results
    reads = [b for n in plan.nodes if n.kind == "glue" for b in n.inputs.values()]
    assert pm.NodeRef(node=fan.id, output="acc") in reads
