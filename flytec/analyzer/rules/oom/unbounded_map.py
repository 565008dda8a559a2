"""FLY504: ``flyte.map`` over an input of unknown size with unbounded concurrency."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import Source, argument_insertion
from flytec.analyzer.rules.oom._common import input_root
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix, Safety

DEFAULT_CONCURRENCY = 16  # what the fix writes; tune it to the cluster


@register
class UnboundedMap(Rule):
    code = "FLY504"
    name = "unbounded-map"
    category = Category.OOM
    severity = Severity.WARNING
    summary = (
        "`flyte.map` runs over a task input of unknown length with its default"
        " `concurrency=0` (every item at once)."
    )
    why = (
        "With `concurrency=0` `flyte.map` submits every item at once. Over an input list"
        " whose length is decided by the caller, that is an unbounded burst of child actions"
        " (a run's ceiling is about 50,000 actions), all tracked by one driver. A plain"
        " `asyncio.gather` over an input list is not reported: it is Flyte 2's idiomatic"
        " fan-out, and its size is visible at the call."
    )
    fix = "Pass `concurrency=N` to bound how many items run at once."
    fix_applicability = Applicability.ALWAYS
    fix_safety = (Safety.UNSAFE,)
    fix_details = (
        "The fix (unsafe: it changes how fast the map runs, and 16 is a guess to tune)"
        " passes `concurrency=16` after the map's positional arguments, or replaces an"
        " explicit `concurrency=0`."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
def score(user: str) -> float:
    return len(user) / 10


@env.task
def main(users: list[str]) -> list[float]:
    return list(flyte.map(score, users, return_exceptions=False))
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
def score(user: str) -> float:
    return len(user) / 10


@env.task
def main(users: list[str]) -> list[float]:
    return list(flyte.map(score, users, concurrency=16, return_exceptions=False))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path):
                continue
            for site in ctx.program.calls.get(task.key, ()):
                if site.how not in ("map", "map_aio") or len(site.call.positional) < 2:
                    continue
                conc = site.call.keyword("concurrency")
                if conc is not None and not (isinstance(conc, ir.Const) and conc.value == 0):
                    continue
                roots = [input_root(task.function, a) for a in site.call.positional[1:]]
                root = next((r for r in roots if r is not None), None)
                if root is None:
                    continue
                yield Finding(
                    task.path,
                    site.span,
                    f"`flyte.map` over input `{root}` of task `{task.fqn}` launches every"
                    " item at once (concurrency defaults to 0), however long the caller"
                    " makes the list; a run allows about 50,000 actions",
                    task=task.fqn,
                    fix=_fix(ctx, task.path, site.call, conc),
                )


def _fix(ctx: RuleContext, path: str, call: ir.Call, conc: ir.Expr | None) -> Fix | None:
    msg = f"bound the map: `concurrency={DEFAULT_CONCURRENCY}`"
    if conc is not None:
        return Fix(msg, (Edit(conc.span, str(DEFAULT_CONCURRENCY)),), Safety.UNSAFE)
    text = ctx.source(path)
    add = argument_insertion(Source(text), call, after_positional=True) if text else None
    if add is None:
        return None
    return Fix(msg, (Edit(add.span, add.content + f"concurrency={DEFAULT_CONCURRENCY}"),),
               Safety.UNSAFE)
