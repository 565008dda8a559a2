"""FLY107: a remote task reference called with positional arguments."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity


@register
class RemoteTaskPositional(Rule):
    code = "FLY107"
    name = "remote-task-positional-args"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "A `flyte.remote.Task.get(...)` reference is called with positional arguments."
    why = (
        "A remote task reference does not know the parameter order of the deployed task until"
        " run time, so it accepts keyword arguments only; a positional argument raises"
        " `RemoteTaskUsageError` when the call is made."
    )
    fix = "Pass every input by name: `await ref(x=1, y=2)`."
    bad = """
import flyte
import flyte.remote

env = flyte.TaskEnvironment(name="driver")


@env.task
async def main(n: int) -> int:
    square = flyte.remote.Task.get("math.square", auto_version="latest")
    return await square(n)
"""
    good = """
import flyte
import flyte.remote

env = flyte.TaskEnvironment(name="driver")


@env.task
async def main(n: int) -> int:
    square = flyte.remote.Task.get("math.square", auto_version="latest")
    return await square(x=n)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for caller, sites in ctx.program.calls.items():
            fn = ctx.program.functions.get(caller)
            if fn is None or not ctx.reported(fn.path):
                continue
            for s in sites:
                if s.how != "remote":
                    continue
                positional = [a for a in s.call.args if a.keyword is None and a.star != "**"]
                if not positional:
                    continue
                name = f"`{s.remote_name}`" if s.remote_name else "reference"
                yield Finding(
                    fn.path,
                    s.span,
                    f"remote task {name} is called with {len(positional)} positional"
                    " argument(s); remote references take keyword arguments only"
                    " (RemoteTaskUsageError)",
                    task=ctx.task_fqn(caller),
                )
