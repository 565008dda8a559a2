"""FLY209: a sub-task's outputs are unpacked into the wrong number of names."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.launch import Launches
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity


@register
class TaskOutputUnpacking(Rule):
    code = "FLY209"
    name = "task-output-unpacking"
    category = Category.TYPE
    severity = Severity.ERROR
    summary = (
        "A task with N outputs (`-> tuple[...]`) is unpacked into a different number of names."
    )
    why = (
        "A tuple return annotation declares one output per element. Unpacking the awaited"
        " result into more or fewer names raises `ValueError` in the driver, after the"
        " sub-task has already run."
    )
    fix = "Unpack exactly as many names as the task declares outputs (use `_` for unused ones)."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="stats")


@env.task
async def stats(values: list[float]) -> tuple[float, float, int]:
    return min(values), max(values), len(values)


@env.task
async def main(values: list[float]) -> float:
    low, high = await stats(values)
    return high - low
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="stats")


@env.task
async def stats(values: list[float]) -> tuple[float, float, int]:
    return min(values), max(values), len(values)


@env.task
async def main(values: list[float]) -> float:
    low, high, _count = await stats(values)
    return high - low
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        launches = Launches(ctx.program)
        for key, f in sorted(ctx.program.functions.items()):
            if not ctx.reported(f.path):
                continue
            for s in ir.walk_stmts(f.function.body):
                if not isinstance(s, ir.Assign) or len(s.targets) != 1:
                    continue
                target = s.targets[0]
                if not isinstance(target, ir.Seq) or any(
                        isinstance(x, ir.Starred) for x in target.elts):
                    continue
                value = s.value.value if isinstance(s.value, ir.Await) else s.value
                if not isinstance(value, ir.Call):
                    continue
                site = launches.site(value)
                if site is None or site.target_kind != "task" or site.how != "call":
                    continue
                task = ctx.program.tasks.get(site.target or "")
                if task is None:
                    continue
                n = _outputs(task.function.returns)
                if n is None or n == len(target.elts):
                    continue
                yield Finding(
                    f.path,
                    target.span,
                    f"task `{task.fqn}` has {n} outputs but they are unpacked into"
                    f" {len(target.elts)} names (ValueError)",
                    task=ctx.task_fqn(key),
                )


def _outputs(returns: ir.Expr | None) -> int | None:
    if not isinstance(returns, ir.Subscript):
        return None
    base = ir.dotted_name(returns.value)
    if base not in ("tuple", "typing.Tuple", "Tuple"):
        return None
    idx = returns.index
    elts = idx.elts if isinstance(idx, ir.Seq) and idx.kind == "tuple" else [idx]
    if any(isinstance(x, ir.Const) and x.kind == "ellipsis" for x in elts):
        return None
    return len(elts)
