"""FLY203: a tuple return annotation Flyte rejects (one element, or ``...``)."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity


@register
class InvalidTupleReturn(Rule):
    code = "FLY203"
    name = "invalid-tuple-return"
    category = Category.TYPE
    severity = Severity.ERROR
    summary = "A task returns `tuple[X]` or `tuple[X, ...]`."
    why = (
        "A tuple return annotation declares several outputs, one per element. Flyte rejects a"
        " one-element tuple and a variable-length tuple with a `TypeError` when the module is"
        " imported."
    )
    fix = "Return `X` for one output, `tuple[X, Y]` for two, or `list[X]` for many values."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def scores(n: int) -> tuple[float, ...]:
    return tuple(float(i) for i in range(n))
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def scores(n: int) -> list[float]:
    return [float(i) for i in range(n)]
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for t in ctx.tasks():
            r = t.function.returns
            if r is None or not ctx.reported(t.path) or not isinstance(r, ir.Subscript):
                continue
            base = ctx.resolver.resolve(t.module, r.value)
            if base is None or base.kind != "external":
                continue
            if base.dotted not in ("builtins.tuple", "typing.Tuple"):
                continue
            idx = r.index
            args = idx.elts if isinstance(idx, ir.Seq) and idx.kind == "tuple" else [idx]
            if len(args) == 1:
                yield Finding(t.path, r.span, f"task `{t.fqn}` returns a one-element tuple"
                              " type; Flyte raises TypeError at import", task=t.fqn)
            elif any(isinstance(a, ir.Const) and a.kind == "ellipsis" for a in args):
                yield Finding(t.path, r.span, f"task `{t.fqn}` returns a variable-length tuple"
                              " type; Flyte raises TypeError at import", task=t.fqn)
