"""FLY108: ``except ValueError:`` around a task call never catches the child's error."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._util import callee_name
from flytec.model.diagnostic import Category, Severity

CATCH_ALL = {"builtins.Exception", "builtins.BaseException", "BaseException"}


@register
class ExceptBuiltinAroundTask(Rule):
    code = "FLY108"
    name = "except-misses-task-error"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    summary = "An `except` for a built-in exception wraps a task call; it never catches it."
    why = (
        "A child task runs in its own action; its exception reaches the parent as"
        " `flyte.errors.RuntimeUserError` (the original class name is in `.code`), never as"
        " the original `ValueError` or `KeyError`. The handler silently never runs for"
        " failures of the task."
    )
    fix = (
        "Catch `flyte.errors.RuntimeUserError` and test `e.code == \"ValueError\"`, or a"
        " specific `flyte.errors` class such as `OOMError`."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def parse(text: str) -> int:
    return int(text)


@env.task
async def main(text: str) -> int:
    try:
        return await parse(text=text)
    except ValueError:
        return 0
"""
    good = """
import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="etl")


@env.task
async def parse(text: str) -> int:
    return int(text)


@env.task
async def main(text: str) -> int:
    try:
        return await parse(text=text)
    except flyte.errors.RuntimeUserError as e:
        if e.code == "ValueError":
            return 0
        raise
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for caller, sites in ctx.program.calls.items():
            fn = ctx.program.functions.get(caller)
            if fn is None or not ctx.reported(fn.path) or caller in ctx.program.traces:
                continue
            reported: set[tuple[int, int]] = set()
            for s in sites:
                if s.target_kind != "task" and s.how != "remote":
                    continue
                if "forward" in s.via or not s.except_types:
                    continue
                types = s.except_types
                if any(t in CATCH_ALL or not t.startswith("builtins.") for t in types):
                    continue
                span = s.except_spans[0] if s.except_spans else s.span
                if (span.line, span.column) in reported:
                    continue
                reported.add((span.line, span.column))
                names = ", ".join(t.removeprefix("builtins.") for t in types)
                yield Finding(
                    fn.path,
                    span,
                    f"`except {names}` cannot catch a failure of task"
                    f" `{callee_name(ctx, s)}` (called at line {s.span.line}): child errors"
                    " arrive as flyte.errors.RuntimeUserError",
                    task=ctx.task_fqn(caller),
                )
