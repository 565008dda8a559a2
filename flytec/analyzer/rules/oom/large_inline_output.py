"""FLY503: a task returns a by-value output larger than the inline I/O limit."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.values import type_of_annotation
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.oom._common import inline_limit
from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity

BY_VALUE = {"builtins.list": 16, "builtins.dict": 32, "builtins.str": 1, "builtins.bytes": 1,
            "builtins.tuple": 16}


@register
class LargeInlineOutput(Rule):
    code = "FLY503"
    name = "large-inline-output"
    category = Category.OOM
    severity = Severity.WARNING
    summary = (
        "A task returns a by-value output (list, dict, str, bytes) whose size suggests more"
        " than `max_inline_io_bytes` (10 MiB by default)."
    )
    why = (
        "Outputs of ordinary types are stored inline in the run's metadata and"
        " materialized by every consumer. Above `max_inline_io_bytes` the upload fails with"
        " `InlineIOMaxBytesBreached`; below it, every consumer still downloads and holds"
        " the whole value. `flyte.io.File`, `Dir` and `DataFrame` pass a reference instead."
    )
    fix = "Write the data to a `flyte.io.File` (or `DataFrame`) and return that reference."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="sim")


@env.task
async def simulate() -> list[float]:
    return [i * 0.01 for i in range(2_000_000)]
"""
    good = """
import flyte
from flyte.io import File

env = flyte.TaskEnvironment(name="sim")


@env.task
async def simulate() -> File:
    out = File.new_remote("prices.txt")
    async with out.open("wb") as f:
        for i in range(2_000_000):
            await f.write(f"{i * 0.01}\\n".encode())
    return out
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        ev = StaticEvaluator(ctx.resolver, set(ctx.program.environments))
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path):
                continue
            rt = type_of_annotation(ctx.resolver, task.module, task.function.returns)
            if rt is None or rt.name not in BY_VALUE:
                continue
            per = BY_VALUE[rt.name]
            limit = inline_limit(task)
            fn = task.function
            assigned: dict[str, list[ir.Expr]] = {}
            for s in ir.walk_stmts(fn.body):
                if isinstance(s, ir.Assign):
                    for t in s.targets:
                        if isinstance(t, ir.Name):
                            assigned.setdefault(t.id, []).append(s.value)
            for s in ir.walk_stmts(fn.body):
                if not isinstance(s, ir.Return) or s.value is None:
                    continue
                value = s.value
                if isinstance(value, ir.Name) and len(assigned.get(value.id, [])) == 1:
                    value = assigned[value.id][0]
                n = _elements(ev, task.module, value)
                if n is None or n * per <= limit:
                    continue
                mib = n * per / (1024 * 1024)
                yield Finding(
                    task.path,
                    s.value.span if hasattr(s.value, "span") else s.span,
                    f"task `{task.fqn}` returns about {n:,} elements inline"
                    f" (~{mib:.0f} MiB as Flyte literals), over the"
                    f" {limit / (1024 * 1024):g} MiB max_inline_io_bytes; every consumer"
                    " also materializes it",
                    task=task.fqn,
                )


def _elements(ev: StaticEvaluator, module: str, e: ir.Expr) -> int | None:
    """Number of elements a comprehension over ``range(N)`` or ``[x] * N`` produces."""
    if isinstance(e, ir.Comp) and e.generators:
        total = 1
        for g in e.generators:
            it = g.iter
            if not (isinstance(it, ir.Call) and ir.dotted_name(it.func) == "range"
                    and it.positional):
                return None
            bound = it.positional[1] if len(it.positional) >= 2 else it.positional[0]
            v = ev.eval(module, bound)
            if not isinstance(v, int) or isinstance(v, bool):
                return None
            total *= max(v, 0)
        return total
    if isinstance(e, ir.BinOp) and e.op == "*":
        for seq, k in ((e.left, e.right), (e.right, e.left)):
            if isinstance(seq, ir.Seq) and seq.kind == "list":
                v = ev.eval(module, k)
                if isinstance(v, int) and not isinstance(v, bool):
                    return v * max(len(seq.elts), 1)
    return None
