"""FLY506: a fan-out whose size is known statically and exceeds what one run holds."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.launch import Launches
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.oom._common import RUN_ACTION_CEILING
from flytec.analyzer.rules.oom.unbounded_map import iterable_size
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.program import Task


@register
class FanoutOverRunScale(Rule):
    code = "FLY506"
    name = "fanout-over-run-scale"
    category = Category.OOM
    severity = Severity.WARNING
    summary = (
        f"A driver launches more than {RUN_ACTION_CEILING:,} sub-tasks from one loop,"
        " comprehension or `flyte.map` whose size is known (`range(200_000)`)."
    )
    why = (
        "Every sub-task call is an action of the run, tracked by the driver and the control"
        " plane. Union's guide to scaling runs puts high-throughput runs at 10,000 to"
        f" {RUN_ACTION_CEILING:,} actions in total; a single fan-out past that, whatever its"
        " concurrency, is beyond the scale a run is built for: the driver's memory and the"
        " run's bookkeeping grow with every action and the run slows to a crawl or fails."
    )
    fix = (
        "Batch the items: launch one task per chunk (`flyte.map(process_batch, chunks)`,"
        " each chunk a list of items, or a `File`/`Dir` of them) so the run has hundreds or"
        " thousands of actions, not hundreds of thousands."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
async def score(i: int) -> float:
    return i / 10


@env.task
async def main() -> float:
    total = 0.0
    for i in range(200_000):
        total += await score(i)
    return total
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
async def score_batch(start: int, stop: int) -> float:
    return sum(i / 10 for i in range(start, stop))


@env.task
async def main() -> float:
    total = 0.0
    for start in range(0, 200_000, 10_000):
        total += await score_batch(start, start + 10_000)
    return total
"""
    details = (
        "The size must be known without running anything: `range(...)` of literals or"
        " module constants, a literal list, a comprehension over one, or a local name bound"
        " once to one of those. Fan-outs of unknown size are not reported here (see FLY504"
        " for `flyte.map` over task inputs)."
    )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        launches = Launches(ctx.program)
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if ctx.reported(task.path) and launches.launches(task.key):
                yield from self.check_task(ctx, launches, task)

    def check_task(self, ctx: RuleContext, launches: Launches, task: Task) -> Iterable[Finding]:
        fn = task.function
        seen: set[int] = set()

        def report(size: int | None, at: ir.Expr, what: str) -> Iterable[Finding]:
            if size is None or size <= RUN_ACTION_CEILING or at.span.line in seen:
                return
            seen.add(at.span.line)
            yield Finding(
                task.path,
                at.span,
                f"{what} in driver `{task.fqn}` launches {size:,} sub-tasks, more than the"
                f" {RUN_ACTION_CEILING:,} actions a run is built for",
                task=task.fqn,
            )

        for s in ir.walk_stmts(fn.body):
            if isinstance(s, ir.For) and launches.body_launches(s.body):
                yield from report(iterable_size(ctx, task.module, fn, s.iter), s.iter,
                                  "the loop")
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if isinstance(x, ir.Comp) and x.generators and \
                            launches.expr_launches(x.elt):
                        yield from report(iterable_size(ctx, task.module, fn, x), x,
                                          "the comprehension")
                    elif isinstance(x, ir.Call):
                        site = launches.site(x)
                        if site is not None and site.how in ("map", "map_aio") and \
                                len(x.positional) >= 2:
                            sizes = [iterable_size(ctx, task.module, fn, a)
                                     for a in x.positional[1:]]
                            known = [n for n in sizes if n is not None]
                            yield from report(min(known) if known else None, x,
                                              "`flyte.map`")
