"""FLY102: ``*args`` or ``**kwargs`` in a task signature."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity


@register
class TaskVariadicParameters(Rule):
    code = "FLY102"
    name = "task-variadic-parameters"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "A task takes `*args` or `**kwargs`."
    why = (
        "A task's inputs are a fixed, named, typed interface. Flyte rejects variadic"
        " parameters when the module is imported (`ValueError: cannot have variable"
        " positional or keyword arguments`), so nothing in the module can be deployed or run."
    )
    fix = "Replace `*args`/`**kwargs` with named, annotated parameters (e.g. a `list[int]`)."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def total(*values: int) -> int:
    return sum(values)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def total(values: list[int]) -> int:
    return sum(values)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for t in ctx.tasks():
            if not ctx.reported(t.path):
                continue
            for p in t.function.params:
                if p.kind in ("vararg", "varkw"):
                    star = "*" if p.kind == "vararg" else "**"
                    yield Finding(
                        t.path,
                        p.span,
                        f"task `{t.fqn}` takes `{star}{p.name}`; Flyte tasks cannot have"
                        " variadic parameters and the module fails to import",
                        task=t.fqn,
                    )
