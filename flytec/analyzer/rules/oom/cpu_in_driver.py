"""FLY505: CPU-heavy work in a driver between sub-task calls."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.launch import Launches, is_inline
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.oom._common import cpu_phrase
from flytec.compiler.recover.scopes import local_names
from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.span import Span
from flytec.model.unparse import unparse

HEAVY_PREFIXES = ("numpy.linalg.", "numpy.fft.", "scipy.optimize.", "scipy.linalg.",
                  "scipy.signal.", "scipy.sparse.linalg.", "scipy.spatial.distance.")
MODEL_PREFIXES = ("sklearn.", "xgboost.", "lightgbm.", "catboost.", "statsmodels.")
FIT = {"fit", "fit_transform", "fit_predict", "train", "partial_fit"}
BIG_LOOP = 1_000_000


@register
class CpuInDriver(Rule):
    code = "FLY505"
    name = "cpu-in-driver"
    category = Category.OOM
    severity = Severity.WARNING
    summary = (
        "A driver does CPU-heavy work (large arithmetic loops, model fitting, numpy / scipy"
        " linear algebra) between sub-task calls."
    )
    why = (
        "A task that launches other tasks is a driver pod: it should orchestrate. CPU work"
        " between awaits holds the driver (usually sized small) and delays every sub-task"
        " launched after it; on an async driver it also blocks the event loop that tracks"
        " the running children."
    )
    fix = "Move the computation into a task of its own, sized for it, and await that task."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="ml", resources=flyte.Resources(cpu=1, memory="1Gi"))


@env.task
async def evaluate(weights: list[float]) -> float:
    return sum(weights)


@env.task
async def main(n: int) -> float:
    weights = [0.0] * 8
    for i in range(n * 10_000_000):
        weights[i % 8] += (i % 7) * 0.5
    return await evaluate(weights)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="ml", resources=flyte.Resources(cpu=1, memory="1Gi"))


@env.task
async def fit(n: int) -> list[float]:
    weights = [0.0] * 8
    for i in range(n):
        weights[i % 8] += (i % 7) * 0.5
    return weights


@env.task
async def evaluate(weights: list[float]) -> float:
    return sum(weights)


@env.task
async def main(n: int) -> float:
    return await evaluate(await fit(n * 10_000_000))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        launches = Launches(ctx.program)
        heavy = _Heavy(ctx, launches)
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path) or not launches.launches(task.key):
                continue
            launch_lines = [s.span.line for s in ctx.program.calls.get(task.key, ())
                            if launches.call_launches(s.call)]
            for span, what, chain in heavy.work(task.key):
                if not any(line > span.end_line for line in launch_lines):
                    continue  # nothing is launched after it
                yield Finding(
                    task.path,
                    span,
                    f"driver `{task.fqn}` ({cpu_phrase(ctx, task)}) {what} between sub-task"
                    " calls; the driver is held and later sub-tasks wait",
                    task=task.fqn,
                    chain=chain,
                )


class _Heavy:
    def __init__(self, ctx: RuleContext, launches: Launches) -> None:
        self.ctx = ctx
        self.launches = launches
        self.ev = StaticEvaluator(ctx.resolver, set(ctx.program.environments))
        self.memo: dict[str, list[tuple[Span, str, tuple[str, ...]]]] = {}

    def work(self, key: str, depth: int = 0) -> list[tuple[Span, str, tuple[str, ...]]]:
        got = self.memo.get(key)
        if got is not None:
            return got
        self.memo[key] = []
        f = self.ctx.program.functions.get(key)
        if f is None or depth > 3:
            return []
        fn = f.function
        local = local_names(fn)
        out: list[tuple[Span, str, tuple[str, ...]]] = []
        models: set[str] = set()
        for s in ir.walk_stmts(fn.body):
            if isinstance(s, ir.Assign) and isinstance(s.value, ir.Call):
                name = self.ctx.resolver.external_name(f.module, s.value.func, local) or ""
                if name.startswith(MODEL_PREFIXES):
                    for t in s.targets:
                        if isinstance(t, ir.Name):
                            models.add(t.id)
            if isinstance(s, ir.For):
                n = self.loop_size(f.module, s.iter)
                if n is not None and _arith(s.body) and not self.launches.body_launches(
                        s.body) and not _awaits(s.body):
                    out.append((s.iter.span if hasattr(s.iter, "span") else s.span,
                                f"runs a loop of {n}", ()))
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if not isinstance(x, ir.Call):
                        continue
                    name = self.ctx.resolver.external_name(f.module, x.func, local) or ""
                    if name.startswith(HEAVY_PREFIXES):
                        out.append((x.span, f"computes `{unparse(x.func)}(...)`", ()))
                    elif isinstance(x.func, ir.Attribute) and x.func.attr in FIT and \
                            isinstance(x.func.value, ir.Name) and x.func.value.id in models:
                        out.append((x.span, f"fits a model (`{unparse(x.func)}(...)`)", ()))
        for site in self.ctx.program.calls.get(key, ()):
            if is_inline(site) and site.target is not None and site.target_kind != "task":
                inner = self.work(site.target, depth + 1)
                if inner:
                    _, what, chain = inner[0]
                    name = site.target.partition(":")[2]
                    out.append((site.span, f"calls helper `{name}()`, which {what}",
                                (f"helper `{name}()` {what}", *chain)))
        self.memo[key] = out
        return out

    def loop_size(self, module: str, it: ir.Expr) -> str | None:
        if not (isinstance(it, ir.Call) and ir.dotted_name(it.func) == "range"
                and it.positional):
            return None
        bound = it.positional[1] if len(it.positional) >= 2 else it.positional[0]
        v = self.ev.eval(module, bound)
        if isinstance(v, int) and not isinstance(v, bool):
            return f"{v:,} iterations" if v >= BIG_LOOP else None
        # ``n * 10_000_000``: a large constant factor
        if isinstance(bound, ir.BinOp) and bound.op == "*":
            for side in (bound.left, bound.right):
                k = self.ev.eval(module, side)
                if isinstance(k, int) and not isinstance(k, bool) and k >= BIG_LOOP:
                    return f"`{unparse(bound)}` iterations"
        return None


def _arith(body: list[ir.Stmt]) -> bool:
    for s in ir.walk_stmts(body):
        if isinstance(s, ir.AugAssign):
            return True
        for e in ir.stmt_exprs(s):
            if any(isinstance(x, ir.BinOp) for x in ir.walk_expr(e)):
                return True
    return False


def _awaits(body: list[ir.Stmt]) -> bool:
    return any(isinstance(x, ir.Await) for s in ir.walk_stmts(body)
               for e in ir.stmt_exprs(s) for x in ir.walk_expr(e))
