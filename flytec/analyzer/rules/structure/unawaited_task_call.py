"""FLY103: an async task called without ``await``: the coroutine is dropped."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._util import callee_name
from flytec.model.diagnostic import Category, Severity
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
                )
