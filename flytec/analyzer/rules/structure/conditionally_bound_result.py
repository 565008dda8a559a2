"""FLY112: a task result bound only under a condition and used after it (NameError)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.launch import Launches
from flytec.analyzer.registry import Finding, Rule, register
from flytec.compiler.recover.scopes import target_names
from flytec.model import body as ir
from flytec.model.diagnostic import Category, RelatedLocation, Severity
from flytec.model.unparse import unparse


@register
class ConditionallyBoundResult(Rule):
    code = "FLY112"
    name = "conditionally-bound-result"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = (
        "A task's result is assigned only inside an `if` and used after it: when the"
        " condition is false the name does not exist."
    )
    why = (
        "`if tasks: results = await asyncio.gather(*tasks)` binds `results` only when there"
        " is work; the code after the `if` then reads it on every path. With an empty input"
        " (the first thing a test or a backfill tries) the task fails with `NameError`"
        " after its sub-tasks have run, and a retry fails the same way."
    )
    fix = (
        "Bind the name on every path: give it a value before the `if`"
        " (`results = []`), add an `else`, or move the use inside the `if`."
    )
    bad = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="search")


@env.task
async def search(query: str) -> str:
    return query.upper()


@env.task
async def search_all(queries: list[str]) -> list[str]:
    calls = [search(q) for q in queries]
    if calls:
        found = await asyncio.gather(*calls)
    return list(found)
"""
    good = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="search")


@env.task
async def search(query: str) -> str:
    return query.upper()


@env.task
async def search_all(queries: list[str]) -> list[str]:
    calls = [search(q) for q in queries]
    found: list[str] = []
    if calls:
        found = list(await asyncio.gather(*calls))
    return found
"""
    details = (
        "Reported when the name is bound nowhere else in the function (not a parameter, not"
        " before the `if`, not in its `else`), the value is awaited or calls a task, the"
        " `if` body falls through (does not end in `return`/`raise`/`break`/`continue`), the"
        " `else` (if any) falls through too, and the use is not under an `if` with the same"
        " condition."
    )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        launches = Launches(ctx.program)
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path):
                continue
            fn = task.function
            params = {p.name for p in fn.params}
            bindings = _bindings(fn.body)
            for s in ir.walk_stmts(fn.body):
                if not isinstance(s, ir.If) or _ends(s.body) or _ends(s.orelse):
                    continue
                inside = {id(x) for x in ir.walk_stmts(s.body)}
                for name, bound in _result_bindings(s.body, launches):
                    if name in params or any(id(b) not in inside for b in bindings[name]):
                        continue
                    use = _first_use_after(fn.body, s, name)
                    if use is None:
                        continue
                    yield Finding(
                        task.path,
                        use.span,
                        f"`{name}` is assigned only when `{unparse(s.test)}` is true (line"
                        f" {s.span.line}) but is used here on every path: NameError when it"
                        " is false",
                        task=task.fqn,
                        related=(RelatedLocation(task.path, bound.span,
                                                 f"`{name}` is assigned only here"),),
                    )


def _ends(body: list[ir.Stmt]) -> bool:
    """Does the block never fall through (its last statement leaves it)?"""
    if not body:
        return False
    last = body[-1]
    return isinstance(last, (ir.Return, ir.Raise)) or (
        isinstance(last, ir.Jump) and last.kind in ("break", "continue"))


def _bound_by(s: ir.Stmt) -> list[str]:
    if isinstance(s, ir.Assign):
        return [n for t in s.targets for n in target_names(t)]
    if isinstance(s, (ir.AnnAssign, ir.AugAssign)):
        return target_names(s.target)
    if isinstance(s, ir.For):
        return target_names(s.target)
    if isinstance(s, ir.With):
        return [n for it in s.items if it.target is not None for n in target_names(it.target)]
    if isinstance(s, ir.ImportStmt):
        return [b.local for b in s.bindings if not b.star]
    if isinstance(s, ir.FunctionStmt):
        return [s.func.name]
    if isinstance(s, ir.ClassStmt):
        return [s.cls.name]
    if isinstance(s, ir.Try):
        return [h.name for h in s.handlers if h.name]
    return []


def _bindings(body: list[ir.Stmt]) -> dict[str, list[ir.Stmt]]:
    out: dict[str, list[ir.Stmt]] = {}
    for s in ir.walk_stmts(body):
        names = _bound_by(s)
        for e in ir.stmt_exprs(s):
            names += [x.target.id for x in ir.walk_expr(e) if isinstance(x, ir.NamedExpr)]
        if isinstance(s, ir.OtherStmt):  # match/case, del, global ...: bind what they name
            names += [x.id for e in s.exprs for x in ir.walk_expr(e) if isinstance(x, ir.Name)]
        for n in names:
            out.setdefault(n, []).append(s)
    return out


def _result_bindings(body: list[ir.Stmt],
                     launches: Launches) -> Iterator[tuple[str, ir.Stmt]]:
    """Names the ``if`` body binds to an awaited value or a task call's result."""
    for s in body:  # the body's own statements, not those of nested blocks
        if isinstance(s, (ir.Assign, ir.AnnAssign)) and s.value is not None and (
                isinstance(s.value, ir.Await) or launches.expr_launches(s.value)):
            targets = s.targets if isinstance(s, ir.Assign) else [s.target]
            for t in targets:
                for n in target_names(t):
                    yield n, s


def _first_use_after(body: list[ir.Stmt], cond: ir.If, name: str) -> ir.Name | None:
    """The first read of ``name`` after ``cond`` ends, outside an ``if`` on the same test."""
    test = unparse(cond.test)
    guarded: set[int] = set()
    for s in ir.walk_stmts(body):
        if isinstance(s, ir.If) and s is not cond and unparse(s.test) == test:
            guarded.update(id(x) for x in ir.walk_stmts(s.body))
    for s in ir.walk_stmts(body):
        if s.span.line <= cond.span.end_line or id(s) in guarded:
            continue
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Name) and x.id == name:
                    return x
    return None
