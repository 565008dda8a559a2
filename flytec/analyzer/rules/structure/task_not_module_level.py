"""FLY101: a task defined inside a function or class."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.compiler.recover.definitions import task_decorator
from flytec.model.diagnostic import Category, Severity


@register
class TaskNotModuleLevel(Rule):
    code = "FLY101"
    name = "task-not-module-level"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = "A task is defined inside a function or a class."
    why = (
        "In a container, Flyte loads a task by importing its module and reading the module"
        " attribute named like the function. A task defined inside a function or a class is"
        " not a module attribute, so the container cannot find it and the action fails."
    )
    fix = "Move the `@env.task` function to the top level of its module."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


def make_task():
    @env.task
    async def inner(x: int) -> int:
        return x + 1

    return inner
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def inner(x: int) -> int:
    return x + 1
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        envs = ctx.program.environments
        for mod in ctx.program.modules.values():
            if not ctx.reported(mod.path):
                continue
            for fn in mod.nested_functions:
                for d in fn.decorators:
                    hit = task_decorator(ctx.resolver, mod.module, d, envs)
                    if hit is None:
                        continue
                    where = f"class `{fn.in_class}`" if fn.in_class else "a function"
                    yield Finding(
                        mod.path,
                        fn.name_span,
                        f"task `{fn.name}` is defined inside {where}; Flyte can only load"
                        " tasks that are module-level attributes",
                    )
