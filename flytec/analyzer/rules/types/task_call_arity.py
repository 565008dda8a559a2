"""FLY204: a task is called with a missing argument or too many positional arguments."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.types._calls import bound_calls
from flytec.model.diagnostic import Category, Severity


@register
class TaskCallArity(Rule):
    code = "FLY204"
    name = "task-call-arity"
    category = Category.TYPE
    severity = Severity.ERROR
    summary = (
        "A task call misses a required argument, passes too many positional arguments, or"
        " passes one argument twice."
    )
    why = (
        "Flyte binds a sub-task's arguments to its declared inputs before submitting the"
        " child action. A required input without a value fails the call (`Missing required"
        " inputs`), and extra or duplicated arguments raise `TypeError` in the driver, only"
        " once the run reaches that line."
    )
    fix = "Pass exactly the task's parameters, by name when in doubt."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="img")


@env.task
async def resize(image_id: str, width: int, height: int = 128) -> str:
    return f"{image_id}:{width}x{height}"


@env.task
async def main(image_id: str) -> str:
    return await resize(image_id=image_id)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="img")


@env.task
async def resize(image_id: str, width: int, height: int = 128) -> str:
    return f"{image_id}:{width}x{height}"


@env.task
async def main(image_id: str) -> str:
    return await resize(image_id=image_id, width=256)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for b in bound_calls(ctx):
            fqn = b.task.fqn
            caller = ctx.task_fqn(b.caller)
            if b.missing:
                names = ", ".join(f"`{p.name}`" for p in b.missing)
                s = "s" if len(b.missing) > 1 else ""
                yield Finding(
                    b.path, b.site.span,
                    f"call of task `{fqn}` misses required input{s} {names} (Flyte fails"
                    " the call: Missing required inputs)",
                    task=caller,
                )
            if b.extra_positional:
                n = len([p for p in b.task.function.params if p.kind != "kwonly"])
                yield Finding(
                    b.path, getattr(b.extra_positional[0], "span", b.site.span),
                    f"task `{fqn}` takes {n} positional argument{'s' if n != 1 else ''} but"
                    f" {n + len(b.extra_positional)} are given (TypeError)",
                    task=caller,
                )
            for a in b.duplicate:
                yield Finding(
                    b.path, getattr(a.value, "span", b.site.span),
                    f"input `{a.keyword}` of task `{fqn}` is passed twice (TypeError)",
                    task=caller,
                )
