"""FLY111: ``asyncio.gather(...)`` / ``asyncio.create_task(...)`` of task calls as a bare
statement: the driver never waits for those sub-tasks."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.launch import Launches
from flytec.analyzer.registry import Finding, Rule, register
from flytec.compiler.recover.scopes import local_names
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity

SCHEDULERS = {
    "asyncio.gather": "asyncio.gather",
    "asyncio.create_task": "asyncio.create_task",
    "asyncio.ensure_future": "asyncio.ensure_future",
}


@register
class UnawaitedGather(Rule):
    code = "FLY111"
    name = "unawaited-gather"
    category = Category.STRUCTURE
    severity = Severity.ERROR
    summary = (
        "`asyncio.gather(...)` or `asyncio.create_task(...)` of task calls is a bare"
        " statement: nothing awaits it."
    )
    why = (
        "`gather` and `create_task` schedule the task calls and return at once, with a"
        " future the statement throws away. The driver goes on without waiting: when it"
        " returns, the sub-tasks still running are cancelled, their results and errors are"
        " lost (asyncio only logs `exception was never retrieved`), and a retried driver"
        " launches them again."
    )
    fix = (
        "Await it: `await asyncio.gather(...)`, or keep the task (`t = asyncio.create_task("
        "...)`) and `await t` before the driver returns."
    )
    bad = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def load(table: str) -> int:
    return len(table)


@env.task
async def main(tables: list[str]) -> str:
    asyncio.gather(*[load(t) for t in tables])
    return "done"
"""
    good = """
import asyncio

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def load(table: str) -> int:
    return len(table)


@env.task
async def main(tables: list[str]) -> str:
    await asyncio.gather(*[load(t) for t in tables])
    return "done"
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        launches = Launches(ctx.program)
        for key, f in sorted(ctx.program.functions.items()):
            if not ctx.reported(f.path) or key in ctx.program.traces:
                continue
            fn = f.function
            local = local_names(fn)
            for s in ir.walk_stmts(fn.body):
                if not (isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Call)):
                    continue
                call = s.value
                name = ctx.resolver.external_name(f.module, call.func, local)
                what = SCHEDULERS.get(name or "")
                if what is None or not any(launches.expr_launches(a.value) for a in call.args):
                    continue
                yield Finding(
                    f.path,
                    call.span,
                    f"`{what}(...)` of task calls is never awaited: the driver does not wait"
                    " for these sub-tasks, and they are cancelled when it returns",
                    task=ctx.task_fqn(key),
                )
