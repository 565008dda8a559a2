"""FLY205: a task is called with a keyword it has no parameter for."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.types._calls import bound_calls
from flytec.model.diagnostic import Category, Severity


@register
class UnknownTaskKeyword(Rule):
    code = "FLY205"
    name = "unknown-task-keyword"
    category = Category.TYPE
    severity = Severity.WARNING
    summary = "A task call passes a keyword argument the task has no parameter for."
    why = (
        "A sub-task's inputs are its parameters. A misspelt keyword is not an input: the"
        " value is silently dropped and the parameter's default is used instead (or the call"
        " fails if the parameter has none), and nothing says so."
    )
    fix = "Use the parameter's exact name."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="img")


@env.task
async def resize(image_id: str, width: int, height: int = 128) -> str:
    return f"{image_id}:{width}x{height}"


@env.task
async def main(image_id: str) -> str:
    return await resize(image_id, 256, hieght=256)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="img")


@env.task
async def resize(image_id: str, width: int, height: int = 128) -> str:
    return f"{image_id}:{width}x{height}"


@env.task
async def main(image_id: str) -> str:
    return await resize(image_id, 256, height=256)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for b in bound_calls(ctx):
            names = [p.name for p in b.task.function.params]
            for a in b.unknown_keywords:
                kw = a.keyword or "?"
                close = difflib.get_close_matches(kw, names, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                yield Finding(
                    b.path,
                    getattr(a.value, "span", b.site.span),
                    f"task `{b.task.fqn}` has no parameter `{kw}`{hint}",
                    help=(f"rename it to `{close[0]}`" if close else
                          f"the task's parameters are {', '.join(names) or 'none'}"),
                    task=ctx.task_fqn(b.caller),
                )
