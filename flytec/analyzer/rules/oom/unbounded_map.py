"""FLY504: ``flyte.map`` over an input of unknown size with unbounded concurrency."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import Source, argument_insertion
from flytec.analyzer.rules.oom._common import (
    LARGE_BURST,
    RUN_ACTION_CEILING,
    input_root,
    static_len,
)
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
        "`flyte.map` with its default `concurrency=0` (every item at once) runs over an"
        " iterable known to be large (a warning), or over a task input of unknown length"
        " (an info)."
    )
    why = (
        "With `concurrency=0` `flyte.map` submits every item at once, all tracked by one"
        f" driver. Over an iterable known to hold {LARGE_BURST:,} items or more"
        " (`range(5_000)`, a module constant) that is a large burst of child actions at"
        " once. Over an input list whose length the caller decides it may be one: but that"
        " is as idiomatic as an `asyncio.gather` over an input list (which is not"
        " reported), so it is only an info."
    )
    details = (
        f"Warning: the iterable's length is known and at least {LARGE_BURST:,}. Info: it"
        " follows a task input (`users`, `zip(a, b)`, `[x for x in a]`). Fan-outs past"
        f" the run's {RUN_ACTION_CEILING:,}-action scale are FLY506."
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
def main() -> list[float]:
    users = [f"user-{i}" for i in range(20_000)]
    return list(flyte.map(score, users, return_exceptions=False))
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
def score(user: str) -> float:
    return len(user) / 10


@env.task
def main() -> list[float]:
    users = [f"user-{i}" for i in range(20_000)]
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
                items = site.call.positional[1:]
                size = _known_size(ctx, task.module, task.function, items)
                if size is not None:
                    if size < LARGE_BURST or size > RUN_ACTION_CEILING:
                        continue  # small; or past the run's scale (FLY506)
                    yield Finding(
                        task.path,
                        site.span,
                        f"`flyte.map` in task `{task.fqn}` launches all {size:,} items at"
                        " once (concurrency defaults to 0)",
                        task=task.fqn,
                        fix=_fix(ctx, task.path, site.call, conc),
                    )
                    continue
                roots = [input_root(task.function, a) for a in items]
                root = next((r for r in roots if r is not None), None)
                if root is None:
                    continue
                yield Finding(
                    task.path,
                    site.span,
                    f"`flyte.map` over input `{root}` of task `{task.fqn}` launches every"
                    " item at once (concurrency defaults to 0), as many as the caller"
                    " passes",
                    task=task.fqn,
                    fix=_fix(ctx, task.path, site.call, conc),
                    severity=Severity.INFO,
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


_GROW = frozenset({"append", "extend", "insert", "add", "update", "__iadd__"})


def _known_size(ctx: RuleContext, module: str, fn: ir.FunctionDef,
                items: list[ir.Expr]) -> int | None:
    """The number of items ``flyte.map`` gets, when known: the shortest known iterable,
    following a local name bound once to a known-size list or comprehension."""
    sizes = [n for n in (iterable_size(ctx, module, fn, a) for a in items) if n is not None]
    return min(sizes) if sizes else None


def iterable_size(ctx: RuleContext, module: str, fn: ir.FunctionDef,
                  e: ir.Expr) -> int | None:
    """``static_len`` of ``e``, of a comprehension over such an iterable (without a
    filter), or of a local name assigned once to one of those."""
    if isinstance(e, ir.Comp) and len(e.generators) == 1 and not e.generators[0].ifs:
        return iterable_size(ctx, module, fn, e.generators[0].iter)
    if isinstance(e, ir.Name) and fn.param(e.id) is None:
        binds = [s for s in ir.walk_stmts(fn.body)
                 if isinstance(s, (ir.Assign, ir.AnnAssign)) and any(
                     isinstance(t, ir.Name) and t.id == e.id
                     for t in (s.targets if isinstance(s, ir.Assign) else [s.target]))]
        value = binds[0].value if len(binds) == 1 else None
        grown = any(isinstance(c.func, ir.Attribute) and isinstance(c.func.value, ir.Name)
                    and c.func.value.id == e.id and c.func.attr in _GROW
                    for s in ir.walk_stmts(fn.body) for x in ir.stmt_exprs(s)
                    for c in ir.walk_expr(x) if isinstance(c, ir.Call))
        if value is not None and not isinstance(value, ir.Name) and not grown:
            return iterable_size(ctx, module, fn, value)
        return None
    return static_len(ctx, module, e)
