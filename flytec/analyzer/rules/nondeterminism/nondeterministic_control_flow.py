"""FLY302: a non-deterministic value decides which or how many sub-tasks run."""

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
class NondeterministicControlFlow(Rule):
    code = "FLY302"
    name = "nondeterministic-control-flow"
    category = Category.NONDETERMINISM
    severity = Severity.WARNING
    summary = (
        "A value that differs between executions decides which sub-tasks a driver launches,"
        " or how many."
    )
    why = (
        "When a driver is retried or recovered it runs again from the top and reattaches to"
        " the child actions it launched before, matched by task, inputs and call sequence."
        " If a clock read, random draw or the attempt number (`flyte.ctx().attempt_number`,"
        " `FLYTE_ATTEMPT_NUMBER`) decides a branch around task calls, a loop bound or a"
        " comprehension that launches tasks, the retry may take the other branch or launch a"
        " different number of children: work is redone and the earlier children are"
        " orphaned. (Other environment variables are fixed by the task template, the same"
        " on every retry, and are not reported.) When several values decide one branch, the"
        " finding blames the attempt number first and lists the others as related."
    )
    fix = (
        "Make the decision inside a `@flyte.trace` function (its result is recorded and"
        " replayed), or base it on `flyte.durable.now()` or the task's inputs."
    )
    fix_applicability = Applicability.SOMETIMES
    fix_safety = (Safety.SAFE, Safety.UNSAFE)
    fix_details = SOURCE_FIX_DETAILS
    fixed = """
import random

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def full_scan(table: str) -> int:
    return 1000


@env.task
async def sample_scan(table: str) -> int:
    return 100


@flyte.trace
async def _random_random() -> float:
    return random.random()


@env.task
async def main(table: str) -> int:
    if await _random_random() < 0.1:
        return await sample_scan(table)
    return await full_scan(table)
"""
    bad = """
import random

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def full_scan(table: str) -> int:
    return 1000


@env.task
async def sample_scan(table: str) -> int:
    return 100


@env.task
async def main(table: str) -> int:
    if random.random() < 0.1:
        return await sample_scan(table)
    return await full_scan(table)
"""
    good = """
import random

import flyte

env = flyte.TaskEnvironment(name="etl")


@flyte.trace
async def should_sample(rate: float) -> bool:
    return random.random() < rate


@env.task
async def full_scan(table: str) -> int:
    return 1000


@env.task
async def sample_scan(table: str) -> int:
    return 100


@env.task
async def main(table: str) -> int:
    if await should_sample(0.1):
        return await sample_scan(table)
    return await full_scan(table)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for hit, others in grouped(analyze(ctx).hits, "control"):
            if not ctx.reported(hit.taint.path):
                continue
            t = hit.taint
            yield Finding(
                t.path,
                t.span,
                f"{t.what} differs between executions of {hit.driver}, and"
                f" {hit.sink.detail} (line {hit.sink.span.line}); a retried or recovered"
                " driver may"
                " launch different sub-tasks",
                help=HELP.get(t.category),
                task=hit.fqn,
                chain=chain_of(hit),
                fix=source_fix(ctx, hit),
                related=related_of(hit, others),
            )
