"""FLY305: a driver sleeps with ``asyncio.sleep`` / ``time.sleep`` (use ``flyte.durable.sleep``)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import await_edits, awaitable_here, locate
from flytec.analyzer.rules.nondeterminism._analysis import engine
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix
from flytec.model.program import CallSite

SLEEPS = {"asyncio.sleep", "time.sleep"}


@register
class NonDurableSleep(Rule):
    code = "FLY305"
    name = "non-durable-sleep"
    category = Category.NONDETERMINISM
    severity = Severity.INFO
    summary = (
        "A driver (a task that launches sub-tasks) waits with `asyncio.sleep` or `time.sleep`"
        " instead of `flyte.durable.sleep`."
    )
    why = (
        "A retried or recovered driver runs again from the top. A plain sleep then starts"
        " over: a driver that waits an hour between steps and crashes after 50 minutes"
        " waits another full hour. `flyte.durable.sleep` records when the sleep began and,"
        " on replay, only waits for what is left."
    )
    fix = (
        "Use `await flyte.durable.sleep.aio(seconds)` in async code,"
        " `flyte.durable.sleep(seconds)` in sync code (`import flyte.durable`)."
    )
    fix_applicability = Applicability.SOMETIMES  # one positional `seconds` argument
    fix_details = (
        "The fix: `asyncio.sleep(s)` becomes `flyte.durable.sleep.aio(s)`; `time.sleep(s)`"
        " becomes `flyte.durable.sleep(s)` in sync code and `await flyte.durable.sleep.aio(s)`"
        " in async code; `import flyte.durable` is added. Only for one positional argument."
    )
    bad = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def poll(job: str) -> bool:
    return bool(job)


@env.task
async def main(job: str) -> bool:
    await asyncio.sleep(3600)
    return await poll(job)
"""
    good = """
import asyncio

import flyte
import flyte.durable

env = flyte.TaskEnvironment(name="etl")


@env.task
async def poll(job: str) -> bool:
    return bool(job)


@env.task
async def main(job: str) -> bool:
    await flyte.durable.sleep.aio(3600)
    return await poll(job)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        eng = None
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path):
                continue
            sites = [s for s in ctx.program.calls.get(task.key, ()) if s.external in SLEEPS]
            if not sites:
                continue
            eng = eng or engine(ctx)
            if not eng.launches.launches(task.key):
                continue
            for s in sites:
                yield Finding(
                    task.path,
                    s.span,
                    f"driver `{task.fqn}` sleeps with `{s.external}`; a retried or recovered"
                    " driver sleeps the whole time again",
                    task=task.fqn,
                    fix=_fix(task.function, s),
                )


def _fix(fn: ir.FunctionDef, s: CallSite) -> Fix | None:
    call = s.call
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    found = locate(fn.body, call)
    if found is None:
        return None
    _stmt, above = found
    func = call.func.span
    if s.external == "asyncio.sleep":
        return Fix("use `flyte.durable.sleep.aio`",
                   (Edit(func, "flyte.durable.sleep.aio"),), imports=("flyte.durable",))
    if not fn.is_async:
        return Fix("use `flyte.durable.sleep`", (Edit(func, "flyte.durable.sleep"),),
                   imports=("flyte.durable",))
    if not awaitable_here(fn, above):
        return None
    edits = await_edits(call, above)
    if edits is None:
        return None
    return Fix("use `await flyte.durable.sleep.aio(...)`",
               (*edits, Edit(func, "flyte.durable.sleep.aio")), imports=("flyte.durable",))
