"""FLY106: a task called inside a ``@flyte.trace`` function."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._util import callee_name, short
from flytec.model.diagnostic import Category, Severity


@register
class TaskCallInTrace(Rule):
    code = "FLY106"
    name = "task-call-in-trace"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "A task is called inside a `@flyte.trace` function."
    why = (
        "A trace is a checkpointed step that runs inside its caller's container; it cannot"
        " launch actions. Flyte 2 raises `TraceDoesNotAllowNestedTasksError` when a trace"
        " calls a task."
    )
    fix = (
        "Call the task from the task that calls the trace, or run its body inline with"
        " `task.forward(...)`."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="agent")


@env.task
async def search(q: str) -> str:
    return q


@flyte.trace
async def plan(q: str) -> str:
    return await search(q=q)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="agent")


@env.task
async def search(q: str) -> str:
    return q


@flyte.trace
async def plan(q: str) -> str:
    return q.upper()


@env.task
async def main(q: str) -> str:
    return await search(q=await plan(q=q))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for key, trace in ctx.program.traces.items():
            if not ctx.reported(trace.path):
                continue
            for s in ctx.calls(key):
                if s.target_kind != "task" and s.how != "remote":
                    continue
                if "forward" in s.via:
                    continue
                yield Finding(
                    trace.path,
                    s.span,
                    f"trace `{short(key)}` calls task `{callee_name(ctx, s)}`; traces cannot"
                    " launch tasks (TraceDoesNotAllowNestedTasksError)",
                )
