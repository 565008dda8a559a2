"""FLY206 and FLY207: an argument of a task call has a type its parameter rejects."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.values import incompatible
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.types._calls import bound_calls
from flytec.model.diagnostic import Category, Severity
from flytec.model.unparse import unparse

_BASE = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def read_row_count(path: str) -> str:
    return "1200"


@env.task
async def make_batches(n_rows: int, batch_size: int = 50) -> list[int]:
    return list(range(0, n_rows, batch_size))
"""


@register
class TaskArgumentType(Rule):
    code = "FLY206"
    name = "task-argument-type"
    category = Category.TYPE
    severity = Severity.ERROR
    summary = (
        "A literal or an annotated parameter is passed to a task parameter of another type."
    )
    why = (
        "Flyte converts every sub-task argument to the declared input type before"
        " submitting the child action; a `str` where an `int` is declared fails with"
        " `Type conversion failed for variable ...` when the driver reaches the call."
        " Flyte 2 has no compile step that would catch it earlier."
    )
    fix = "Convert the value (`int(x)`), or fix the task's annotation."
    bad = _BASE + """

@env.task
async def main(path: str) -> list[int]:
    return await make_batches("1200")
"""
    good = _BASE + """

@env.task
async def main(path: str) -> list[int]:
    return await make_batches(1200)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        yield from _check(ctx, outputs=False)


@register
class TaskOutputType(Rule):
    code = "FLY207"
    name = "task-output-type"
    category = Category.TYPE
    severity = Severity.ERROR
    summary = "A sub-task's output is passed to a task parameter of another type."
    why = (
        "The output of a sub-task has the type of its return annotation. Passing it to a"
        " parameter of another type fails with `Type conversion failed for variable ...`"
        " when the driver reaches the call, after the first task already ran."
    )
    fix = "Convert the value, or make the producing task return the declared type."
    bad = _BASE + """

@env.task
async def main(path: str) -> list[int]:
    n_rows = await read_row_count(path)
    return await make_batches(n_rows)
"""
    good = _BASE + """

@env.task
async def main(path: str) -> list[int]:
    n_rows = await read_row_count(path)
    return await make_batches(int(n_rows))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        yield from _check(ctx, outputs=True)


def _check(ctx: RuleContext, outputs: bool) -> Iterable[Finding]:
    for b in bound_calls(ctx):
        types = b.types
        if types is None:
            continue
        for expr, p in b.args:
            expected = b.param_type(ctx, p)
            actual = types.of(expr)
            if expected is None or actual is None:
                continue
            if actual.name == "pandas.DataFrame" and expected.name == "flyte.io.DataFrame":
                continue  # FLY208
            if not incompatible(actual, expected):
                continue
            origin = types.task_origin(expr)
            if (origin is not None) != outputs:
                continue
            if origin is not None:
                src = ctx.program.tasks[origin]
                what = f"the output of task `{src.fqn}` (`{actual.show()}`)"
            else:
                what = f"`{unparse(expr)}` (`{actual.show()}`)"
            yield Finding(
                b.path,
                getattr(expr, "span", b.site.span),
                f"{what} is passed to `{p.name}: {expected.show()}` of task `{b.task.fqn}`;"
                " Flyte fails the call (Type conversion failed)",
                task=ctx.task_fqn(b.caller),
            )
