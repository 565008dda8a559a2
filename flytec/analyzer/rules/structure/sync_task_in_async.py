"""FLY104: a sync task called directly from async code (needs ``.aio()``)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import await_edits, awaitable_here, locate
from flytec.analyzer.rules._util import describe, is_sandbox_orchestrator
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix
from flytec.model.program import CallSite
from flytec.model.unparse import unparse


@register
class SyncTaskInAsync(Rule):
    code = "FLY104"
    name = "sync-task-called-from-async"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "A sync task is called directly from async code instead of through `.aio()`."
    why = (
        "Inside a run, calling a sync task from an `async def` blocks the event loop that"
        " drives every sibling action; Flyte 2 raises `SyncTaskCallInAsyncContextError`."
        " `await task.aio(...)` submits the same task without blocking."
    )
    fix = "Use `await sync_task.aio(...)` in async code."
    fix_applicability = Applicability.SOMETIMES  # not inside a lambda or generator expression
    fix_details = (
        "The fix writes `await` before the call (in parentheses where an attribute, index"
        " or call follows) and `.aio` after the task; an already awaited call only gets"
        " `.aio`. None inside a lambda, a generator expression or a nested def."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
def legacy(x: int) -> int:
    return x * 2


@env.task
async def main(x: int) -> int:
    return legacy(x=x)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
def legacy(x: int) -> int:
    return x * 2


@env.task
async def main(x: int) -> int:
    return await legacy.aio(x=x)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for caller, sites in ctx.program.calls.items():
            fn = ctx.program.functions.get(caller)
            if fn is None or not fn.function.is_async or not ctx.reported(fn.path):
                continue
            if caller in ctx.program.traces or is_sandbox_orchestrator(ctx, caller):
                continue  # FLY106 reports task calls inside traces
            for s in sites:
                if s.target_kind != "task" or s.how != "call" or s.target is None:
                    continue
                task = ctx.program.tasks[s.target]
                if task.is_async or "aio" in s.via or "forward" in s.via:
                    continue
                if "lambda" in s.contexts:
                    continue
                yield Finding(
                    fn.path,
                    s.span,
                    f"sync task `{task.fqn}` is called directly from async"
                    f" {describe(ctx, caller)}; Flyte 2 raises"
                    " SyncTaskCallInAsyncContextError",
                    help=f"use `await {unparse(s.call.func)}.aio(...)`",
                    task=ctx.task_fqn(caller),
                    fix=_fix(fn.function, s),
                )


def _fix(fn: ir.FunctionDef, s: CallSite) -> Fix | None:
    found = locate(fn.body, s.call)
    if found is None or "nested" in s.contexts:
        return None
    _stmt, above = found
    if not awaitable_here(fn, above):
        return None
    edits = await_edits(s.call, above)
    if edits is None:
        return None
    end = s.call.func.span
    return Fix(f"`await {unparse(s.call.func)}.aio(...)`",
               (*edits, Edit.insert(end.end_line, end.end_column, ".aio")))
