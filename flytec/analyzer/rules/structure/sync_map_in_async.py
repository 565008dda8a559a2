"""FLY105: sync ``flyte.map`` inside async code (use ``flyte.map.aio``)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._util import describe
from flytec.model.diagnostic import Category, Severity


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
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(xs: list[int]) -> list[int]:
    return list(flyte.map(square, xs))
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(xs: list[int]) -> list[int]:
    return [r async for r in flyte.map.aio(square, xs)]
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
                )
