"""Fan-outs of a static plan: a ``for`` loop or comprehension whose body calls tasks.

Members run once per item of ``over``, each item in its own :class:`Scope` (concurrently, or
one after the other when ``sequential``); the fan-out's outputs are the lists of what each item
contributes to ``collect``. A fan-out whose body is one plain task call submits its items
directly, without a scope each (most fan-outs; it keeps large fan-outs cheap).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from flytec.model.plan import Node, NodeRef
from flytec.runtime import graph_nodes as kinds
from flytec.runtime.context import GROUP
from flytec.runtime.graph_state import SKIPPED, NodeState, Scope, index

if TYPE_CHECKING:
    from flytec.runtime.graph import GraphRun


def limit_of(run: GraphRun, scope: Scope, node: Node) -> int:
    """How many items may run at once (0: all): a semaphore's bound, maybe an input's."""
    b = node.inputs.get("$concurrency")
    if b is None:
        return run.prepared.concurrency.get(node.id, 0)
    value = run.value(scope, b)
    asyncio.Semaphore(value)  # Python's own errors for a bound that is not one
    return int(value)


async def fanout(run: GraphRun, scope: Scope, node: Node, st: NodeState) -> None:
    """Members once per item, each item in its own scope; outputs: what ``collect`` names."""
    assert node.over is not None and not isinstance(node.over, list)
    items = list(run.value(scope, node.over))
    limit = limit_of(run, scope, node)
    rex = run.prepared.return_exceptions[node.id]
    member = run.prepared.simple.get(node.id)
    if member is not None and await run.ready(scope, member):
        st.finish(await fanout_calls(run, scope, node, member, items, rex, limit))
        return
    owned = run.prepared.owned.get(node.id, [])
    sem = asyncio.Semaphore(limit) if limit > 0 and not node.sequential else None

    async def one(item: Any) -> Scope:
        inner = Scope(scope, node.id, item, owned)
        if sem is None:
            await run.members(inner, node.id, "body")
            return inner
        async with sem:  # `async with semaphore` around the calls of each item
            await run.members(inner, node.id, "body")
        return inner

    scopes: list[Scope | BaseException] = []
    if node.sequential:
        for item in items:
            try:
                scopes.append(await one(item))
            except Exception as exc:
                if not rex:
                    raise
                scopes.append(exc)
    else:
        tasks = [asyncio.ensure_future(one(item)) for item in items]
        try:
            if rex:
                scopes = list(await asyncio.gather(*tasks, return_exceptions=True))
                for s in scopes:
                    if isinstance(s, asyncio.CancelledError):
                        raise s
            else:
                scopes = list(await asyncio.gather(*tasks))
        finally:
            live = [t for t in tasks if not t.done()]
            for t in live:
                t.cancel()
            if live:
                await asyncio.gather(*live, return_exceptions=True)
    st.finish(collect(run, node, scopes))

async def fanout_calls(
    run: GraphRun, scope: Scope, node: Node, member: Node, items: list[Any], rex: bool,
    limit: int,
) -> dict[str, Any]:
    """A fan-out of one task call per item: submitted directly (what most fan-outs are)."""
    template = run.prepared.tasks[member.id]
    parent = run.parent
    sem = asyncio.Semaphore(limit) if limit > 0 else None

    async def submit(template: Any, args: tuple[Any, ...], kw: dict[str, Any],
                     parent: Any) -> Any:
        if sem is None:
            return await run.controller.submit(template, args, kw, parent)
        async with sem:
            return await run.controller.submit(template, args, kw, parent)
    token = GROUP.set(member.group) if member.group is not None else None
    try:
        tasks = []
        for item in items:
            inner = Scope(scope, node.id, item, [])
            kw = {k: run.value(inner, b) for k, b in member.inputs.items()}
            tasks.append(asyncio.ensure_future(submit(template, (), kw, parent)))
    finally:
        if token is not None:
            GROUP.reset(token)
    try:
        results = list(await asyncio.gather(*tasks, return_exceptions=rex))
    finally:
        live = [t for t in tasks if not t.done()]
        for t in live:
            t.cancel()
        if live:
            await asyncio.gather(*live, return_exceptions=True)
    [(name, ref)] = (node.collect or {}).items()
    assert isinstance(ref, NodeRef)
    values = []
    for r in results:
        if isinstance(r, asyncio.CancelledError):
            raise r
        if isinstance(r, BaseException):
            values.append(r)
            continue
        outs = kinds.split_outputs(member, r)
        values.append(index(outs[ref.output], ref.index))
    return {name: values}

def collect(
    run: GraphRun, node: Node, scopes: list[Scope | BaseException]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, spec in (node.collect or {}).items():
        values: list[Any] = []
        for inner in scopes:
            if isinstance(inner, BaseException):
                values.append(inner)
                continue
            for b in spec if isinstance(spec, list) else [spec]:
                if isinstance(b, NodeRef) and inner.state(b.node).status == SKIPPED:
                    continue  # an append in an arm that did not run
                if "*" in getattr(b, "index", []):
                    values.extend(run.value(inner, b))
                else:
                    values.append(run.value(inner, b))
        out[name] = values
    return out
