"""Module-level state touched by tasks, directly or through helpers in their process."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from flytec.analyzer.context import RuleContext
from flytec.model import body as ir
from flytec.model.program import StateAccess, Task
from flytec.model.span import Span

WRITE_HOW = {
    "append": "appends to", "extend": "extends", "insert": "inserts into", "pop": "pops from",
    "remove": "removes from", "clear": "clears", "update": "updates", "add": "adds to",
    "discard": "discards from", "popitem": "pops from", "appendleft": "appends to",
    "extendleft": "extends", "popleft": "pops from", "sort": "sorts", "reverse": "reverses",
    "setitem": "assigns an item of", "setattr": "assigns an attribute of",
    "global-assign": "assigns", "global-augassign": "updates",
    "module-setattr": "assigns", "class-setattr": "assigns", "__setitem__": "assigns an item of",
    "__delitem__": "deletes an item of", "setdefault": "inserts into",
}
COLLECTIONS = frozenset({"list", "dict", "set"})


@dataclass(frozen=True)
class Access:
    """A task's access to module state, reported in the task's own file: at the access
    when the task makes it, else at the call of the helper that leads to it (``chain``
    explains the rest), so a file's findings depend only on what it imports."""

    task: Task
    access: StateAccess
    function: str  # the function holding the access
    path: str  # where it is reported (the task's file)
    span: Span  # where it is reported
    chain: tuple[str, ...]


@dataclass
class StateFacts:
    writes: list[Access]
    reads: list[Access]


_CACHE: weakref.WeakKeyDictionary[RuleContext, StateFacts] = weakref.WeakKeyDictionary()


def facts(ctx: RuleContext) -> StateFacts:
    got = _CACHE.get(ctx)
    if got is not None:
        return got
    by_fn: dict[str, list[StateAccess]] = {}
    for a in ctx.program.state:
        by_fn.setdefault(a.function, []).append(a)
    writes: list[Access] = []
    reads: list[Access] = []
    for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
        for key, chain, entry in ctx.callgraph.reach(task.key):
            f = ctx.program.functions.get(key)
            if f is None or key not in by_fn:
                continue
            accesses = by_fn[key]
            write_spans = {a.span for a in accesses if a.kind != "read"}
            for a in accesses:
                span = entry.span if entry is not None else a.span
                where = f"{f.path}:{a.span.line}"
                steps = (*chain, f"`{a.name}` is accessed there ({where})") if entry else ()
                if a.kind == "read":
                    if a.span not in write_spans:
                        reads.append(Access(task, a, key, task.path, span, steps))
                elif is_real_write(ctx, a, f.function):
                    writes.append(Access(task, a, key, task.path, span, steps))
    got = StateFacts(writes, reads)
    _CACHE[ctx] = got
    return got


def is_real_write(ctx: RuleContext, a: StateAccess, fn: ir.FunctionDef) -> bool:
    """A write that relies on being seen elsewhere (not a per-process cache or lazy init)."""
    g = ctx.program.globals.get(f"{a.module}:{a.name}")
    if g is None or g.kind == "env":
        return False
    if a.how == "setdefault":
        return False  # memoisation
    if a.how not in ("setitem", "setattr", "global-assign", "global-augassign",
                     "module-setattr", "class-setattr", "augassign") and g.kind not in COLLECTIONS:
        # ``CLIENT.update(...)`` on an object is a method call, not evidently a mutation
        return False
    return not _guarded_by(fn, a.span, a.name)


def _guarded_by(fn: ir.FunctionDef, span: object, name: str) -> bool:
    """Is the access inside an ``if`` (or after an early return) testing the same global,
    as in lazy initialisation (``if _client is None: _client = ...``) or memoisation
    (``if key not in _cache: _cache[key] = ...``)?"""

    def mentions(e: ir.Expr) -> bool:
        return any((isinstance(x, ir.Name) and x.id == name)
                   or (isinstance(x, ir.Attribute) and ir.dotted_name(x) == name)
                   for x in ir.walk_expr(e))

    def contains(s: ir.Stmt) -> bool:
        sp = s.span
        return (sp.line, sp.column) <= (span.line, span.column) <= (  # type: ignore[attr-defined]
            sp.end_line, sp.end_column)

    def visit(body: list[ir.Stmt], guarded: bool) -> bool | None:
        for s in body:
            if isinstance(s, ir.If) and mentions(s.test) and not contains(s):
                # ``if name in CACHE: return CACHE[name]`` before the write
                if any(isinstance(x, ir.Return) for x in ir.walk_stmts(s.body)):
                    guarded = True
            if not contains(s):
                continue
            if isinstance(s, (ir.If, ir.While)) and mentions(s.test):
                guarded = True
            for b in ir.child_bodies(s):
                r = visit(b, guarded)
                if r is not None:
                    return r
            return guarded
        return None

    return bool(visit(fn.body, False))


def describe_global(ctx: RuleContext, module: str, name: str, mod_of_use: str) -> str:
    g = ctx.program.globals.get(f"{module}:{name}")
    kind = g.kind if g is not None and g.kind in COLLECTIONS else ""
    where = "" if module == mod_of_use else f" of module `{module}`"
    if "." in name:  # ``Registry.items``: a class attribute, module state all the same
        label = f"class attribute `{name}`" + (f" (a {kind})" if kind else "")
        return label + where
    label = f"module-level {kind} `{name}`" if kind else f"module-level `{name}`"
    return label + where
