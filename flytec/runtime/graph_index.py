"""A static plan, checked and indexed for execution (:func:`prepare`).

Everything a run needs is looked up once, before anything runs: members of every container
arm, which fan-out owns each node (one scope per fan-out item), task templates with their
``.override(...)`` applied, traced functions, handler exception types. A plan that cannot be
executed as a graph (dynamic, a leaf, names that do not resolve, waits that could never end)
raises :class:`NotExecutable`, and the runner falls back to running the task's body.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from flytec.model.plan import Binding, ErrorRef, ItemRef, Node, NodeRef, Plan
from flytec.runtime.graph_resolve import (
    NotExecutable,
    exception_types,
    find_module,
    resolve_function,
    static_value,
    task_registry,
)

Arm = tuple[str | None, str | None]  # (container node id, arm); (None, None) = top level


@dataclass
class Prepared:
    plan: Plan
    module: ModuleType
    driver_async: bool
    nodes: dict[str, Node] = field(default_factory=dict)
    members: dict[Arm, list[Node]] = field(default_factory=dict)
    owner: dict[str, str | None] = field(default_factory=dict)  # nearest enclosing fan-out
    owned: dict[str | None, list[str]] = field(default_factory=dict)
    after: dict[str, list[str]] = field(default_factory=dict)
    deps: dict[str, list[NodeRef]] = field(default_factory=dict)  # data inputs, in order
    handlers: dict[str, list[tuple[str, tuple[type[BaseException], ...]]]] = field(
        default_factory=dict)
    tasks: dict[str, Any] = field(default_factory=dict)  # node id -> task template
    functions: dict[str, Any] = field(default_factory=dict)  # trace node id -> function
    concurrency: dict[str, int] = field(default_factory=dict)
    return_exceptions: dict[str, bool] = field(default_factory=dict)
    # fan-outs whose body is one plain task call: items are submitted without a scope each
    simple: dict[str, Node] = field(default_factory=dict)
    # nodes whose code runs in another module's namespace (inlined helpers of that module)
    namespaces: dict[str, dict[str, Any]] = field(default_factory=dict)
    _inside: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)

    def ancestors(self, nid: str) -> list[str]:
        out: list[str] = []
        parent = self.nodes[nid].parent
        while parent is not None:
            out.append(parent)
            parent = self.nodes[parent].parent
        return out

    def descendants(self, nid: str, arm: str | None = None) -> list[str]:
        """Every node inside ``nid`` (only those of ``arm`` when given); cached."""
        key = (nid, arm)
        cached = self._inside.get(key)
        if cached is not None:
            return cached
        out: list[str] = []
        stack = [m.id for (p, a), ms in self.members.items() if p == nid
                 and (arm is None or a == arm) for m in ms]
        while stack:
            x = stack.pop()
            out.append(x)
            stack.extend(m.id for (p, _), ms in self.members.items() if p == x for m in ms)
        self._inside[key] = out
        return out


_UNSUPPORTED = ("call",)
#: containers whose members run in a scope of their own, once per item
SCOPED = ("fanout", "loop")


def bindings_of(node: Node) -> list[Binding]:
    out: list[Binding] = list(node.inputs.values())
    out.extend((node.context or {}).values())
    if isinstance(node.over, list):
        out.extend(node.over)
    elif node.over is not None:
        out.append(node.over)
    return out


def prepare(plan: Plan, root_template: Any, project_root: Path | None = None) -> Prepared:
    """Check and index ``plan`` for execution (raises NotExecutable)."""
    if plan.kind != "workflow":
        raise NotExecutable("a leaf task: its body is the unit of work")
    if not plan.static:
        first = plan.dynamic_reasons[0].message if plan.dynamic_reasons else "not static"
        raise NotExecutable(f"the workflow is dynamic: {first}")
    module = find_module(plan.source.module, project_root)
    if module is None:
        raise NotExecutable(f"module {plan.source.module} is not loaded")
    p = Prepared(plan, module, inspect.iscoroutinefunction(getattr(root_template, "func", None)))
    for n in plan.nodes:
        if n.id in p.nodes:
            raise NotExecutable(f"duplicate node id `{n.id}`")
        if n.kind in _UNSUPPORTED or n.dynamic or n.kind == "loop" and (
            n.over is None or isinstance(n.over, list)
        ):
            raise NotExecutable(f"node `{n.id}` ({n.kind}) is dynamic")
        p.nodes[n.id] = n
    for n in plan.nodes:
        if n.parent is not None and n.parent not in p.nodes:
            raise NotExecutable(f"node `{n.id}`: unknown container `{n.parent}`")
        p.members.setdefault((n.parent, n.arm if n.parent else None), []).append(n)
    for n in plan.nodes:
        owner = next((a for a in p.ancestors(n.id) if p.nodes[a].kind in SCOPED), None)
        p.owner[n.id] = owner
        p.owned.setdefault(owner, []).append(n.id)
    namespace = vars(module)
    for n in plan.nodes:
        _index_node(p, n, namespace, project_root)
    for o in plan.outputs:
        if o.source is not None:
            _check_ref(p, None, o.source)
    check_waits(p)
    for n in plan.nodes:
        if n.kind == "fanout":
            member = _simple_member(p, n)
            if member is not None:
                p.simple[n.id] = member
    return p


def _simple_member(p: Prepared, fan: Node) -> Node | None:
    """The one task call a fan-out runs per item, when that is all it does."""
    body = p.members.get((fan.id, "body"), [])
    if fan.sequential or len(body) != 1 or p.owned.get(fan.id) != [body[0].id]:
        return None
    m = body[0]
    if m.kind != "task" or m.forward or m.unawaited or p.after[m.id] or m.context:
        return None
    if p.driver_async and not m.aio and not inspect.iscoroutinefunction(p.tasks[m.id].func):
        return None  # the SDK's error for a sync task called from async code: general path
    collect = list((fan.collect or {}).values())
    if len(collect) != 1 or not isinstance(collect[0], NodeRef) or collect[0].node != m.id \
            or "*" in collect[0].index:
        return None
    return m


def _index_node(p: Prepared, n: Node, namespace: dict[str, Any], root: Path | None) -> None:
    ancestors = set(p.ancestors(n.id))
    for a in n.after:
        if a not in p.nodes:
            raise NotExecutable(f"node `{n.id}` runs after unknown `{a}`")
    p.after[n.id] = [a for a in n.after if a not in ancestors and a != n.id]
    refs: list[NodeRef] = []
    for b in bindings_of(n):
        _check_ref(p, n, b)
        if isinstance(b, NodeRef) and not (
            b.node in ancestors and p.nodes[b.node].kind == "loop"
        ):  # (what an enclosing loop carries is there when the iteration starts)
            refs.append(b)
    if n.kind == "loop":
        for b in (n.carry or {}).values():
            if isinstance(b, NodeRef) and b.node not in p.nodes:
                raise NotExecutable(f"loop `{n.id}` carries unknown node `{b.node}`")
    if n.kind == "fanout":  # what the items contribute may come from outside the fan-out
        for spec in (n.collect or {}).values():
            for b in spec if isinstance(spec, list) else [spec]:
                if not isinstance(b, NodeRef):
                    continue
                if b.node not in p.nodes:
                    raise NotExecutable(f"fan-out `{n.id}` collects unknown node `{b.node}`")
                if n.id not in p.ancestors(b.node):
                    _check_ref(p, n, b)
                    refs.append(b)
    p.deps[n.id] = refs
    if n.module is not None and n.module != p.plan.source.module:
        other = find_module(n.module, root)
        if other is None:
            raise NotExecutable(f"module {n.module} (of node `{n.id}`) is not loaded")
        p.namespaces[n.id] = vars(other)
    if n.kind in ("task", "map"):
        p.tasks[n.id] = _template(n, namespace, root)
    elif n.kind == "trace":
        if not n.function:
            raise NotExecutable(f"trace node `{n.id}` names no function")
        p.functions[n.id] = resolve_function(n.function, root)
    elif n.kind == "try":
        p.handlers[n.id] = [(h.arm, exception_types(h.types, namespace, root))
                            for h in n.handlers or []]
    elif n.kind == "fanout" and (n.over is None or isinstance(n.over, list)):
        raise NotExecutable(f"fan-out `{n.id}` has no single iterable")
    elif n.kind == "merge":
        for cases in (n.cases or {}).values():
            for case in cases:
                _check_ref(p, n, case.source)
                for cond in case.when:
                    if cond.node not in p.nodes:
                        raise NotExecutable(f"merge `{n.id}` depends on unknown `{cond.node}`")
    if n.kind == "map":
        conc, rex = n.concurrency or 0, n.return_exceptions
        if not isinstance(conc, int) or isinstance(conc, bool):
            raise NotExecutable(f"map `{n.id}`: concurrency {conc!r} is only known at run time")
        if rex is None:
            rex = True
        if not isinstance(rex, bool):
            raise NotExecutable(f"map `{n.id}`: return_exceptions is only known at run time")
        if not isinstance(n.over, list) or len(n.over) != len(n.item_inputs or []):
            raise NotExecutable(f"map `{n.id}`: iterables and parameters do not match")
        p.concurrency[n.id], p.return_exceptions[n.id] = conc, rex
    if n.kind == "fanout":
        rex = n.return_exceptions
        p.return_exceptions[n.id] = rex if isinstance(rex, bool) else False
        conc = n.concurrency or 0
        if "$concurrency" in n.inputs:
            conc = 0  # read from the input when the fan-out starts
        elif not isinstance(conc, int) or isinstance(conc, bool):
            raise NotExecutable(f"fan-out `{n.id}`: concurrency {conc!r} is not a number")
        p.concurrency[n.id] = conc


def _template(n: Node, namespace: dict[str, Any], root: Path | None) -> Any:
    template: Any = task_registry().get(n.task or "")
    if template is None and n.function:
        template = resolve_function(n.function, root)
    if not getattr(template, "_flytec_is_task", False):
        raise NotExecutable(f"task {n.task} is not defined at run time")
    if n.override:
        values = static_value(n.override, namespace, root)
        try:
            template = template.override(**values)
        except Exception as exc:
            raise NotExecutable(f"{n.task}.override(...): {exc}") from None
    return template


def _check_ref(p: Prepared, n: Node | None, b: Binding) -> None:
    where = f"node `{n.id}`" if n is not None else "the outputs"
    chain = p.ancestors(n.id) if n is not None else []
    if isinstance(b, NodeRef):
        if b.node not in p.nodes:
            raise NotExecutable(f"{where} reads unknown node `{b.node}`")
        scopes = [p.owner[n.id], *[a for a in chain if p.nodes[a].kind in SCOPED]] \
            if n is not None else [None]
        if p.owner[b.node] not in (*scopes, None):
            raise NotExecutable(f"{where} reads `{b.node}` inside another fan-out")
    elif isinstance(b, ItemRef):
        if b.node not in chain or p.nodes[b.node].kind not in SCOPED:
            raise NotExecutable(f"{where} reads the item of `{b.node}` outside it")
    elif isinstance(b, ErrorRef):
        if b.node not in chain or p.nodes[b.node].kind != "try":
            raise NotExecutable(f"{where} reads the error of `{b.node}` outside it")


def check_waits(p: Prepared) -> None:
    """No node may (transitively) wait for itself: that run would never end."""
    waits: dict[str, set[str]] = {}

    def add(a: str, b: str) -> None:
        waits.setdefault(a, set()).add(b)

    for n in p.plan.nodes:
        done, decided = f"done:{n.id}", f"decided:{n.id}"
        add(done, decided)
        start = f"start:{n.id}"
        add(decided, start)
        for ref in p.deps[n.id]:
            target = p.nodes[ref.node]
            add(start, f"decided:{ref.node}" if target.kind == "branch" else f"done:{ref.node}")
        for a in p.after[n.id]:
            add(start, f"done:{a}")
        if n.kind == "merge":
            for cases in (n.cases or {}).values():
                for case in cases:
                    for cond in case.when:
                        add(done, f"decided:{cond.node}")
                    if isinstance(case.source, NodeRef):
                        add(done, f"done:{case.source.node}")
        if n.parent is not None:
            parent = p.nodes[n.parent]
            add(f"done:{parent.id}", done)
            if parent.kind == "try" and n.arm == "body":
                add(f"decided:{parent.id}", done)
                add(start, f"start:{parent.id}")
            elif parent.kind in SCOPED:
                add(start, f"start:{parent.id}")
            else:
                add(start, f"decided:{parent.id}")
            if parent.kind == "try" and n.arm == "finally":
                add(start, f"decided:{parent.id}")
    state: dict[str, int] = {}
    for root in list(waits):
        if state.get(root):
            continue
        stack: list[tuple[str, list[str]]] = [(root, sorted(waits.get(root, ())))]
        state[root] = 1
        while stack:
            vertex, todo = stack[-1]
            if not todo:
                state[vertex] = 2
                stack.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                cycle = [v for v, _ in stack] + [nxt]
                names = [c.split(":", 1)[1] for c in cycle[cycle.index(nxt):]]
                raise NotExecutable(f"its steps wait for each other: {' -> '.join(names)}")
            if not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, sorted(waits.get(nxt, ()))))
