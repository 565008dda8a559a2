"""Executing a static plan as a dataflow graph on the same scheduler as dynamic runs.

Every node becomes a coroutine that waits for the nodes its inputs come from and then submits
its task to :class:`~flytec.runtime.controller.Controller` as a child of the root action, so a
node starts as soon as its inputs are ready; a map node fans its task out over one list input
under a concurrency limit, like ``flyte.map``. Ids, retries, caching and journaling are
the controller's, so a static run resumes the same way as a dynamic one.

The node format here is provisional (the compiler's plan format is being designed in
parallel); :func:`nodes_from_json` reads::

    {"id": "n1", "task": "env.fn", "map": "xs" | null, "concurrency": 0,
     "inputs": {"x": {"const": 1} | {"input": "days"} | {"node": "n0", "output": 0 | null}}}
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flytec.runtime.context import CURRENT, GROUP, ActionContext
from flytec.runtime.controller import ROOT_ID, Controller
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.mapping import group_name


@dataclass(frozen=True, slots=True)
class Const:
    value: Any


@dataclass(frozen=True, slots=True)
class RunInput:
    name: str


@dataclass(frozen=True, slots=True)
class NodeOutput:
    node: str
    output: int | None = None  # index into a multi-output result; None: the whole result


Binding = Const | RunInput | NodeOutput


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    task: str
    inputs: dict[str, Binding] = field(default_factory=dict)
    map_over: str | None = None
    concurrency: int = 0


def _binding(node_id: str, name: str, raw: Any) -> Binding:
    if isinstance(raw, dict):
        if "const" in raw:
            return Const(raw["const"])
        if isinstance(raw.get("input"), str):
            return RunInput(raw["input"])
        if isinstance(raw.get("node"), str):
            out = raw.get("output")
            return NodeOutput(raw["node"], out if isinstance(out, int) else None)
    raise RuntimeUsageError(f"bad plan: node {node_id} input {name}: {raw!r}")


def nodes_from_json(raw: list[Any]) -> list[Node]:
    nodes: list[Node] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise RuntimeUsageError(f"bad plan: node without id: {item!r}")
        if not isinstance(item.get("task"), str):
            raise RuntimeUsageError(f"bad plan: node {item['id']} has no task")
        inputs = item.get("inputs") or {}
        nodes.append(
            Node(
                id=item["id"],
                task=item["task"],
                inputs={k: _binding(item["id"], k, v) for k, v in inputs.items()},
                map_over=item.get("map") if isinstance(item.get("map"), str) else None,
                concurrency=int(item.get("concurrency") or 0),
            )
        )
    check_graph(nodes)
    return nodes


def check_graph(nodes: list[Node]) -> None:
    """Unknown references and cycles are plan errors."""
    by_id = {n.id: n for n in nodes}
    if len(by_id) != len(nodes):
        raise RuntimeUsageError("bad plan: duplicate node ids")
    state: dict[str, int] = {}

    def visit(nid: str, path: tuple[str, ...]) -> None:
        if state.get(nid) == 2:
            return
        if state.get(nid) == 1:
            raise RuntimeUsageError(f"bad plan: cycle {' -> '.join((*path, nid))}")
        state[nid] = 1
        for b in by_id[nid].inputs.values():
            if isinstance(b, NodeOutput):
                if b.node not in by_id:
                    raise RuntimeUsageError(f"bad plan: node {nid} uses unknown node {b.node}")
                visit(b.node, (*path, nid))
        state[nid] = 2

    for n in nodes:
        visit(n.id, ())


async def execute_graph(
    controller: Controller,
    nodes: list[Node],
    tasks: Mapping[str, Any],
    run_inputs: Mapping[str, Any],
    result: NodeOutput,
) -> Any:
    """Run every node as soon as its inputs are ready; return the ``result`` node's output."""
    check_graph(nodes)
    controller.loop = asyncio.get_running_loop()
    parent = CURRENT.get() or ActionContext(controller, ROOT_ID, "plan")
    futures: dict[str, asyncio.Future[Any]] = {}

    async def value(b: Binding) -> Any:
        if isinstance(b, Const):
            return b.value
        if isinstance(b, RunInput):
            return run_inputs[b.name]
        out = await futures[b.node]
        return out if b.output is None else out[b.output]

    async def run_node(node: Node) -> Any:
        template = tasks.get(node.task)
        if template is None:
            raise RuntimeUsageError(f"bad plan: node {node.id}: unknown task {node.task}")
        kwargs = {k: await value(b) for k, b in node.inputs.items()}
        token = CURRENT.set(parent)
        try:
            if node.map_over is None:
                return await controller.submit(template, (), kwargs, parent)
            over: str = node.map_over
            items = kwargs.pop(over)
            sem = asyncio.Semaphore(node.concurrency) if node.concurrency > 0 else None

            async def one(item: Any) -> Any:
                call = dict(kwargs)
                call[over] = item
                if sem is None:
                    return await controller.submit(template, (), call, parent)
                async with sem:
                    return await controller.submit(template, (), call, parent)

            group = GROUP.set(group_name(template, node.id))
            try:
                calls = [asyncio.ensure_future(one(item)) for item in items]
            finally:
                GROUP.reset(group)
            return list(await asyncio.gather(*calls))
        finally:
            CURRENT.reset(token)

    for node in nodes:
        futures[node.id] = asyncio.ensure_future(run_node(node))
    try:
        return await value(result)
    finally:
        for fut in futures.values():
            if not fut.done():
                fut.cancel()
