"""Reading a plan document someone hands to flytec: validated in full before anything runs.

:func:`load_plan_text` is the one way the runtime (``flytec run PLAN.plan.json``) and the
container worker read a plan. It rejects, with one line saying why (:class:`PlanError`):

* text that is not JSON, or JSON nested deeper than :data:`MAX_DEPTH` (never a
  ``RecursionError``);
* a document without ``schema_version`` or with one this flytec does not read;
* a document that fails the pydantic schema (:class:`~flytec.model.plan.Plan`): missing or
  wrong-typed ``nodes``, ``static``, ``kind``..., naming the first failing field;
* a plan whose nodes do not form a workflow: duplicate node ids, a ``parent``, an ``after``
  or an input that names no node, or nodes that wait for each other (a cycle of ``after``
  and data dependencies), which could never finish.

What is checked is what every plan ``flytec build`` writes satisfies; whether the plan can
run as a graph on this machine (its names resolve at run time) is the runtime's question.
"""

from __future__ import annotations

import json
from typing import Any

from flytec.model.plan import SCHEMA_VERSION, NodeRef, Plan

#: how deeply a plan document may nest (objects and arrays): flytec's own plans nest about
#: 8 levels plus the nesting of constants written in the code, which Python's parser keeps
#: under 200
MAX_DEPTH = 256


class PlanError(ValueError):
    """A plan document flytec refuses to run; the message says why, on one line."""


def load_plan_text(text: str) -> Plan:
    """Parse and validate a plan document (raises :class:`PlanError`)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise PlanError(f"nested too deeply (more than {MAX_DEPTH} levels)") from None
    except ValueError as exc:
        raise PlanError(f"not JSON ({str(exc).splitlines()[0]})") from None
    return validate_plan_data(data)


def validate_plan_data(data: Any) -> Plan:
    """Validate a parsed plan document (raises :class:`PlanError`)."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise PlanError(f"expected a JSON object, got {_json_kind(data)}")
    if _depth(data) > MAX_DEPTH:
        raise PlanError(f"nested too deeply (more than {MAX_DEPTH} levels)")
    if "schema_version" not in data:
        raise PlanError(f'no `schema_version` (a flytec plan has "schema_version": '
                        f'"{SCHEMA_VERSION}"; rebuild it with `flytec build`)')
    version = data["schema_version"]
    if version != SCHEMA_VERSION:
        raise PlanError(f"unknown schema_version {version!r} (this flytec reads "
                        f"{SCHEMA_VERSION}; rebuild the plan with `flytec build`)")
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "the document"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise PlanError(f"does not match the plan schema: {where}: {first.get('msg')}{more}"
                        ) from None
    problem = structure_problem(plan)
    if problem is not None:
        raise PlanError(problem)
    return plan


def structure_problem(plan: Plan) -> str | None:
    """Why the nodes of ``plan`` do not form a workflow that can finish, or None."""
    ids: set[str] = set()
    for n in plan.nodes:
        if n.id in ids:
            return f"duplicate node id `{n.id}`"
        ids.add(n.id)
    parents = {n.id: n.parent for n in plan.nodes}
    for n in plan.nodes:
        if n.parent is not None and n.parent not in ids:
            return f"node `{n.id}`: its parent `{n.parent}` is not a node of the plan"
    # "start:x" and "done:x" of every node; an edge a -> b says that a must wait for b: a node
    # is done after it started; it starts after what it waits for is done, and after its
    # container started; a container is done after its members
    waits: dict[str, list[str]] = {}
    for n in plan.nodes:
        enclosing = _ancestors(n.id, parents)
        if enclosing is None:
            return f"node `{n.id}`: its parents form a cycle"
        start, done = f"start:{n.id}", f"done:{n.id}"
        waits.setdefault(done, []).append(start)
        if n.parent is not None:
            waits.setdefault(start, []).append(f"start:{n.parent}")
            waits.setdefault(f"done:{n.parent}", []).append(done)
        out: list[str] = []
        for a in n.after:
            if a not in ids:
                return f"node `{n.id}` runs after `{a}`, which is not a node of the plan"
            out.append(a)
        for ref in _node_refs(n.inputs.values(), n.over):
            if ref.node not in ids:
                return f"node `{n.id}` reads `{ref.node}`, which is not a node of the plan"
            out.append(ref.node)
        # a node inside a container may name the container (it is running then)
        waits.setdefault(start, []).extend(f"done:{x}" for x in out
                                           if x != n.id and x not in enclosing)
    for o in plan.outputs:
        for ref in _node_refs([o.source] if o.source is not None else [], None):
            if ref.node not in ids:
                return f"output `{o.name}` reads `{ref.node}`, which is not a node of the plan"
    cycle = _cycle(waits)
    if cycle is not None:
        names = [v.split(":", 1)[1] for v in cycle if v.startswith("start:")]
        names = [x for i, x in enumerate(names) if i == 0 or names[i - 1] != x]
        return f"its nodes wait for each other: {' -> '.join([*names, names[0]])}"
    return None


def _ancestors(nid: str, parents: dict[str, str | None]) -> set[str] | None:
    out: set[str] = set()
    p = parents.get(nid)
    while p is not None:
        if p in out or p == nid:
            return None
        out.add(p)
        p = parents.get(p)
    return out


def _node_refs(bindings: Any, over: Any) -> list[NodeRef]:
    items = list(bindings)
    if isinstance(over, list):
        items.extend(over)
    elif over is not None:
        items.append(over)
    return [b for b in items if isinstance(b, NodeRef)]


def _cycle(waits: dict[str, list[str]]) -> list[str] | None:
    """A cycle of the graph ``waits`` (node -> nodes it waits for), as a path, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(waits):
        if state.get(root):
            continue
        state[root] = 1
        stack: list[tuple[str, list[str]]] = [(root, sorted(set(waits[root]), reverse=True))]
        while stack:
            vertex, todo = stack[-1]
            if not todo:
                state[vertex] = 2
                stack.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                path = [v for v, _ in stack]
                return [*path[path.index(nxt):], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, sorted(set(waits.get(nxt, ())), reverse=True)))
    return None


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and dicts (iteratively: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            items: Any = v.values()
        elif isinstance(v, list):
            items = v
        else:
            continue
        if d > deepest:
            deepest = d
            if deepest > MAX_DEPTH:
                return deepest
        stack.extend((x, d + 1) for x in items)
    return deepest


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
