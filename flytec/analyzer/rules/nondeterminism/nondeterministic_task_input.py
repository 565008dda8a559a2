"""FLY301: a non-deterministic value reaches a sub-task's inputs."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.sources import HELP
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.nondeterminism._analysis import (
    analyze,
    chain_of,
    grouped,
    related_of,
)
from flytec.analyzer.rules.nondeterminism._fixes import SOURCE_FIX_DETAILS, source_fix
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Safety


@register
class NondeterministicTaskInput(Rule):
    code = "FLY301"
    name = "nondeterministic-task-input"
    category = Category.NONDETERMINISM
    severity = Severity.WARNING
    summary = (
        "A value that differs between executions (clock, randomness, uuid, network, the"
        " attempt number) reaches the inputs of a sub-task launched by a driver."
    )
    why = (
        "A child action's ID is a hash of the task, its inputs, its call sequence and group."
        " When the driver is retried or recovered it runs again from the top and expects to"
        " launch the same children with the same inputs, so it can reattach to those already"
        " running or finished. A wall-clock time, random draw, uuid or network read that"
        " feeds a sub-task's inputs (its arguments, `flyte.map` items, the map's group name)"
        " gives the retry different IDs: finished work runs again and duplicates appear."
        " (`.override(...)` values change the task template, not the child's identity, and"
        " are not reported; nor are environment variables, which the task template fixes"
        " for every retry, except `FLYTE_ATTEMPT_NUMBER`.)"
    )
    fix = (
        "Wrap the non-deterministic call in a `@flyte.trace` function (its result is recorded"
        " and replayed on retry), or use `flyte.durable.now()` / `flyte.durable.time()` for"
        " the clock."
    )
    fix_applicability = Applicability.SOMETIMES
    fix_safety = (Safety.SAFE, Safety.UNSAFE)
    fix_details = SOURCE_FIX_DETAILS
    fixed = """
from datetime import datetime

import flyte
import flyte.durable

env = flyte.TaskEnvironment(name="etl")


@env.task
async def export(partition: str) -> int:
    return len(partition)


@env.task
async def main() -> int:
    day = (await flyte.durable.now.aio()).strftime("%Y-%m-%d")
    return await export(day)
"""
    bad = """
from datetime import datetime

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def export(partition: str) -> int:
    return len(partition)


@env.task
async def main() -> int:
    day = datetime.now().strftime("%Y-%m-%d")
    return await export(day)
"""
    good = """
import flyte
import flyte.durable

env = flyte.TaskEnvironment(name="etl")


@env.task
async def export(partition: str) -> int:
    return len(partition)


@env.task
async def main() -> int:
    now = await flyte.durable.now.aio()
    return await export(now.strftime("%Y-%m-%d"))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for hit, others in grouped(analyze(ctx).hits, "input"):
            if not ctx.reported(hit.taint.path):
                continue
            t = hit.taint
            yield Finding(
                t.path,
                t.span,
                f"{t.what} differs between executions of {hit.driver} and reaches"
                f" {hit.sink.detail}; a retried or recovered driver launches a different"
                " child action",
                help=HELP.get(t.category),
                task=hit.fqn,
                chain=chain_of(hit),
                fix=source_fix(ctx, hit),
                related=related_of(hit, others),
            )
