"""FLY103: an async task called without ``await``: the coroutine is dropped."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import (
    Source,
    argument_insertion,
    await_edits,
    awaitable_here,
    locate,
    next_statement,
)
from flytec.analyzer.rules._util import callee_name
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix
from flytec.model.program import CallSite
from flytec.model.span import Span
from flytec.model.unparse import unparse


@register
class UnawaitedTaskCall(Rule):
    code = "FLY103"
    name = "unawaited-task-call"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "An async task is called but its coroutine is never awaited or gathered."
    why = (
        "Calling an async task (or any task's `.aio()`) only creates a coroutine. Unless it"
        " is awaited, gathered or scheduled, the child action is never submitted: the task"
        " silently does not run, and Python only warns `coroutine ... was never awaited`."
    )
    fix = "Write `await task(...)`, or collect the calls and `await asyncio.gather(*calls)`."
    fix_applicability = Applicability.SOMETIMES  # in async code, where `await` can go
    fix_details = (
        "The fix writes `await` before the call; when the next statement is"
        " `await asyncio.gather(...)` (its result unused), it moves the call into that"
        " gather instead, so it runs with its siblings."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def notify(msg: str) -> None:
    print(msg)


@env.task
async def main() -> None:
    notify(msg="done")
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def notify(msg: str) -> None:
    print(msg)


@env.task
async def main() -> None:
    await notify(msg="done")
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for caller, sites in ctx.program.calls.items():
            fn = ctx.program.functions.get(caller)
            if fn is None or not ctx.reported(fn.path):
                continue
            for s in sites:
                if s.target_kind != "task" and s.how != "remote":
                    continue
                if not s.discarded or s.how in ("map", "map_aio"):
                    continue
                task = ctx.program.tasks.get(s.target) if s.target else None
                returns_coroutine = (
                    "aio" in s.via
                    or s.how == "remote"
                    or (task is not None and task.is_async and "forward" not in s.via)
                )
                if not returns_coroutine:
                    continue
                yield Finding(
                    fn.path,
                    s.span,
                    f"the call `{unparse(s.call)}` creates a coroutine that is never awaited;"
                    f" task `{callee_name(ctx, s)}` will not run",
                    help=f"await it: `await {unparse(s.call)}`, or pass it to"
                    " `asyncio.gather(...)`",
                    task=ctx.task_fqn(caller),
                    fix=_fix(ctx, fn.path, fn.function, s, sites),
                )


def _fix(ctx: RuleContext, path: str, fn: ir.FunctionDef, s: CallSite,
         sites: list[CallSite]) -> Fix | None:
    text = ctx.source(path)
    found = locate(fn.body, s.call)
    if text is None or found is None:
        return None
    src = Source(text)
    stmt, above = found
    if not awaitable_here(fn, above):
        return None
    if isinstance(stmt, ir.ExprStmt) and stmt.value is s.call:
        moved = _into_gather(src, fn, stmt, s, sites)
        if moved is not None:
            return moved
    edits = await_edits(s.call, above)
    if edits is None:
        return None
    return Fix(f"await `{unparse(s.call)}`", tuple(edits))


def _into_gather(src: Source, fn: ir.FunctionDef, stmt: ir.ExprStmt, s: CallSite,
                 sites: list[CallSite]) -> Fix | None:
    """Move a dropped call into the `await asyncio.gather(...)` statement right after it."""
    nxt = next_statement(fn.body, stmt)
    if not (isinstance(nxt, ir.ExprStmt) and isinstance(nxt.value, ir.Await)
            and isinstance(nxt.value.value, ir.Call)):
        return None
    gather = nxt.value.value
    if not any(g.call is gather and g.external == "asyncio.gather" for g in sites):
        return None
    if not gather.positional or any(a.keyword for a in gather.args if a.keyword
                                    and a.keyword != "return_exceptions"):
        return None
    between = Span(stmt.span.end_line, stmt.span.end_column, nxt.span.line, nxt.span.column)
    if src.get(between).strip() or nxt.span.line == stmt.span.line:
        return None  # a comment or another statement in between: keep it simple, await
    add = argument_insertion(src, gather, after_positional=True)
    if add is None:
        return None
    call_text = src.get(s.call.span)
    return Fix(
        f"pass `{unparse(s.call)}` to the `asyncio.gather(...)` that follows",
        (Edit(Span(stmt.span.line, stmt.span.column, nxt.span.line, nxt.span.column), ""),
         Edit(add.span, add.content + call_text)),
    )
