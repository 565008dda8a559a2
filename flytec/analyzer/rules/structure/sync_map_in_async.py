"""FLY105: sync ``flyte.map`` inside async code (use ``flyte.map.aio``)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import Source, locate
from flytec.analyzer.rules._util import describe
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix
from flytec.model.span import Span


@register
class SyncMapInAsync(Rule):
    code = "FLY105"
    name = "sync-map-in-async"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "`flyte.map` (the sync version) is used inside async code."
    why = (
        "`flyte.map` blocks on each result. Inside an `async def` it deadlocks the event loop"
        " that runs the mapped actions; because `return_exceptions=True` is the default, every"
        " element comes back as an exception object instead of failing loudly."
    )
    fix = "Use `async for result in flyte.map.aio(task, items): ...` in async code."
    fix_applicability = Applicability.SOMETIMES
    fix_details = (
        "The fix rewrites the three forms that consume the results where they are made:"
        " `list(flyte.map(...))` becomes `[r async for r in flyte.map.aio(...)]`,"
        " `for x in flyte.map(...)` becomes `async for x in flyte.map.aio(...)`, and a list,"
        " set or dict comprehension over it becomes an `async for` comprehension. Other uses"
        " (a generator expression, the iterator stored for later) are left to you."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(xs: list[int]) -> list[int]:
    return list(flyte.map(square, xs, return_exceptions=False))
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(xs: list[int]) -> list[int]:
    return [r async for r in flyte.map.aio(square, xs, return_exceptions=False)]
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for caller, sites in ctx.program.calls.items():
            fn = ctx.program.functions.get(caller)
            if fn is None or not fn.function.is_async or not ctx.reported(fn.path):
                continue
            for s in sites:
                if s.external != "flyte.map" or "lambda" in s.contexts:
                    continue
                yield Finding(
                    fn.path,
                    s.span,
                    f"sync `flyte.map` inside async {describe(ctx, caller)} blocks its event"
                    " loop; the mapped results come back as exceptions",
                    help="use `flyte.map.aio(...)` with `async for`",
                    task=ctx.task_fqn(caller),
                    fix=_fix(ctx, fn.path, fn.function, s.call),
                )


def _fix(ctx: RuleContext, path: str, fn: ir.FunctionDef, call: ir.Call) -> Fix | None:
    text = ctx.source(path)
    found = locate(fn.body, call)
    if text is None or found is None:
        return None
    src = Source(text)
    stmt, above = found
    end = call.func.span
    aio = Edit.insert(end.end_line, end.end_column, ".aio")
    if any(isinstance(e, ir.Lambda | ir.Unknown) for e in above):
        return None
    parent = above[-1] if above else None
    if isinstance(parent, ir.Call) and ir.dotted_name(parent.func) == "list" \
            and len(parent.args) == 1 and parent.args[0].value is call and not parent.args[0].star:
        p = parent.span
        return Fix("`[r async for r in flyte.map.aio(...)]`", (
            Edit(Span(p.line, p.column, call.span.line, call.span.column),
                 "[r async for r in "),
            aio,
            Edit(Span(call.span.end_line, call.span.end_column, p.end_line, p.end_column), "]"),
        ))
    if parent is None and isinstance(stmt, ir.For) and stmt.iter is call and not stmt.is_async:
        if not src.get(stmt.span).startswith("for"):
            return None
        return Fix("`async for ... in flyte.map.aio(...)`",
                   (Edit.insert(stmt.span.line, stmt.span.column, "async "), aio))
    if isinstance(parent, ir.Comp) and parent.kind != "gen":
        gen = next((g for g in parent.generators if g.iter is call and not g.is_async), None)
        if gen is None:
            return None
        t = gen.target.span
        before = src.text[:src.at(t.line, t.column)].rstrip()
        if not before.endswith("for") or before[-4:-3].isidentifier():
            return None
        line, column = src.position(len(before) - 3)
        return Fix("an `async for` comprehension over `flyte.map.aio(...)`",
                   (Edit.insert(line, column, "async "), aio))
    return None
