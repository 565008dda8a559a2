"""FLY303: an unstable iteration or completion order reaches a sub-task."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.sources import HELP
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.nondeterminism._analysis import analyze, chain_of
from flytec.model.diagnostic import Category, Severity


@register
class NondeterministicOrder(Rule):
    code = "FLY303"
    name = "nondeterministic-order"
    category = Category.NONDETERMINISM
    severity = Severity.WARNING
    summary = (
        "The iteration order of a set, a directory listing or `asyncio.as_completed` /"
        " `asyncio.wait` reaches a sub-task's inputs or decides which sub-tasks run."
    )
    why = (
        "Sets of strings iterate in an order that depends on the per-process hash seed,"
        " directory listings in filesystem order, and `as_completed` / `asyncio.wait` in"
        " completion order. Launching one task per element is fine (each child is matched by"
        " its own inputs), but once the order itself is observed (a list passed to a task,"
        " the first element, a position index, sequential calls that each take an earlier"
        " call's result, a loop that stops at the first match) a retried driver computes"
        " different inputs and launches different child actions. Directory listings include"
        " `os.listdir`, `os.scandir`, `os.walk`, `glob.glob` and `Path.iterdir` /"
        " `Path.glob` / `Path.rglob`."
    )
    fix = "Sort the collection first (`sorted(set(xs))`), or await results in a fixed order."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def merge(tables: list[str]) -> str:
    return ",".join(tables)


@env.task
async def main(tables: list[str]) -> str:
    unique = list(set(tables))
    return await merge(unique)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def merge(tables: list[str]) -> str:
    return ",".join(tables)


@env.task
async def main(tables: list[str]) -> str:
    unique = sorted(set(tables))
    return await merge(unique)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for hit in analyze(ctx).hits:
            if hit.rule != "order" or not ctx.reported(hit.taint.path):
                continue
            t = hit.taint
            what = (
                f"the order of {t.what}" if t.category == "order" else f"which of {t.what}"
                " finish first"
            )
            reaches = (f"reaches {hit.sink.detail}" if hit.sink.kind == "input" else
                       f"{hit.sink.detail} (line {hit.sink.span.line})")
            yield Finding(
                t.path,
                t.span,
                f"{what} differs between executions of {hit.driver} and"
                f" {reaches}",
                help=HELP.get(t.category),
                task=hit.fqn,
                chain=chain_of(hit),
            )
