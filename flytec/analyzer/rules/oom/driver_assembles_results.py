"""FLY501: a driver collects many large sub-task results and assembles them in memory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.launch import Launches
from flytec.analyzer.dataflow.values import type_of_annotation
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.oom._common import large_label, memory_phrase
from flytec.compiler.recover.scopes import calls_of, local_names
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.program import Task
from flytec.model.unparse import unparse

ASSEMBLERS = {
    "pandas.concat": "concatenates", "pyarrow.concat_tables": "concatenates",
    "polars.concat": "concatenates", "numpy.concatenate": "concatenates",
    "numpy.vstack": "stacks", "numpy.hstack": "stacks", "numpy.stack": "stacks",
    "builtins.sum": "sums", "functools.reduce": "reduces",
}


@dataclass
class FanOut:
    task: Task  # the sub-task whose results are collected
    over: ir.Expr  # what it fans out over


@register
class DriverAssemblesResults(Rule):
    code = "FLY501"
    name = "driver-assembles-results"
    category = Category.OOM
    severity = Severity.WARNING
    summary = (
        "A driver gathers or maps many sub-task results of large by-value types (DataFrames,"
        " Arrow tables, bytes, lists of them) and assembles them in its own memory."
    )
    why = (
        "Outputs of ordinary types are materialized: every result a driver awaits is"
        " downloaded into the driver's container. A driver sized for orchestration that"
        " concatenates one DataFrame per input element holds all of them at once and runs"
        " out of memory as the input grows."
    )
    fix = (
        "Return `flyte.io.DataFrame` / `File` / `Dir` references from the sub-tasks and do"
        " the assembly in a task sized for it (pass it the list of references)."
    )
    bad = """
import asyncio

import pandas as pd

import flyte

env = flyte.TaskEnvironment(name="etl", resources=flyte.Resources(memory="1Gi"))


@env.task
async def load_day(day: str) -> pd.DataFrame:
    return pd.DataFrame({"day": [day]})


@env.task
async def main(days: list[str]) -> pd.DataFrame:
    frames = await asyncio.gather(*[load_day(d) for d in days])
    return pd.concat(frames)
"""
    good = """
import asyncio

import pandas as pd

import flyte
from flyte.io import DataFrame

env = flyte.TaskEnvironment(name="etl", resources=flyte.Resources(memory="1Gi"))


@env.task
async def load_day(day: str) -> DataFrame:
    return DataFrame.from_df(pd.DataFrame({"day": [day]}))


@env.task
async def combine(frames: list[DataFrame]) -> DataFrame:
    parts = [await f.open(pd.DataFrame).all() for f in frames]
    return DataFrame.from_df(pd.concat(parts))


@env.task
async def main(days: list[str]) -> DataFrame:
    frames = await asyncio.gather(*[load_day(d) for d in days])
    return await combine(list(frames))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        launches = Launches(ctx.program)
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path) or not launches.launches(task.key):
                continue
            fn = task.function
            local = local_names(fn)
            finder = _FanOuts(ctx, launches, task, local)
            for s in ir.walk_stmts(fn.body):
                finder.stmt(s)
            for x in calls_of(fn):
                verb = _assembler(ctx, task.module, x, local)
                if verb is None:
                    continue
                for a in x.args:
                    fo = finder.of(a.value)
                    if fo is None:
                        continue
                    rt = type_of_annotation(ctx.resolver, fo.task.module,
                                            fo.task.function.returns)
                    label = large_label(rt)
                    if label is None:
                        continue
                    yield Finding(
                        task.path,
                        x.span,
                        f"driver `{task.fqn}` {memory_phrase(ctx, task)} and {verb}"
                        f" one {label} per element of `{unparse(fo.over)}` (outputs of"
                        f" `{fo.task.fqn}`) in its own memory",
                        task=task.fqn,
                        chain=(f"each `{fo.task.fqn}` result is a {label},"
                               " materialized in the driver when awaited",),
                    )
                    break


def _assembler(ctx: RuleContext, module: str, call: ir.Call, local: frozenset[str]) -> (
    str | None
):
    f = call.func
    if isinstance(f, ir.Attribute) and f.attr == "join" and isinstance(f.value, ir.Const) \
            and f.value.kind == "bytes":
        return "joins"
    name = ctx.resolver.external_name(module, f, local)
    return ASSEMBLERS.get(name or "")


class _FanOuts:
    """Names holding the results of a fan-out of one sub-task over a collection."""

    def __init__(self, ctx: RuleContext, launches: Launches, task: Task,
                 local: frozenset[str]) -> None:
        self.ctx = ctx
        self.launches = launches
        self.task = task
        self.local = local
        self.names: dict[str, FanOut] = {}
        self.coros: dict[str, FanOut] = {}  # lists of un-awaited task calls

    def callee(self, e: ir.Expr) -> Task | None:
        if isinstance(e, ir.Await):
            e = e.value
        if not isinstance(e, ir.Call):
            return None
        site = self.launches.site(e)
        if site is None or site.target_kind != "task" or site.target is None:
            return None
        return self.ctx.program.tasks.get(site.target)

    def ext(self, e: ir.Expr) -> str | None:
        return self.ctx.resolver.external_name(self.task.module, e, self.local)

    def of(self, e: ir.Expr) -> FanOut | None:
        if isinstance(e, (ir.Await, ir.Starred)):
            return self.of(e.value)
        if isinstance(e, ir.Name):
            return self.names.get(e.id)
        if isinstance(e, ir.Comp) and e.generators:
            t = self.callee(e.elt)
            if t is not None:
                return FanOut(t, e.generators[0].iter)
            inner = self.of(e.generators[0].iter)
            if inner is not None:
                return inner
            return None
        if isinstance(e, ir.Call):
            name = self.ext(e.func)
            if name == "asyncio.gather":
                for a in e.args:
                    v = a.value.value if isinstance(a.value, ir.Starred) else a.value
                    if isinstance(v, ir.Name) and v.id in self.coros:
                        return self.coros[v.id]
                    if isinstance(v, ir.Comp) and v.generators:
                        t = self.callee(v.elt)
                        if t is not None:
                            return FanOut(t, v.generators[0].iter)
                return None
            if name in ("flyte.map", "flyte.map.aio") and len(e.positional) >= 2:
                site = self.launches.site(e)
                if site is not None and site.target in self.ctx.program.tasks:
                    return FanOut(self.ctx.program.tasks[site.target], e.positional[1])
                return None
            if name in ("builtins.list", "builtins.tuple") and e.positional:
                return self.of(e.positional[0])
        return None

    def stmt(self, s: ir.Stmt) -> None:
        if isinstance(s, ir.Assign) and len(s.targets) == 1 and isinstance(s.targets[0],
                                                                           ir.Name):
            name = s.targets[0].id
            v = s.value
            if isinstance(v, ir.Comp) and v.generators and not isinstance(v.elt, ir.Await):
                t = self.callee(v.elt)
                if t is not None:
                    self.coros[name] = FanOut(t, v.generators[0].iter)
                    return
            fo = self.of(v)
            if fo is not None:
                self.names[name] = fo
        elif isinstance(s, ir.For):
            for b in ir.walk_stmts(s.body):
                for e in ir.stmt_exprs(b):
                    for x in ir.walk_expr(e):
                        if (isinstance(x, ir.Call) and isinstance(x.func, ir.Attribute)
                                and x.func.attr == "append"
                                and isinstance(x.func.value, ir.Name) and x.positional):
                            t = self.callee(x.positional[0])
                            if t is not None:
                                self.names[x.func.value.id] = FanOut(t, s.iter)
