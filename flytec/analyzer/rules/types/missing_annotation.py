"""FLY201: a task parameter or result without a type annotation."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity


def returns_value(fn: ir.FunctionDef) -> ir.Return | None:
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.Return) and s.value is not None:
            if isinstance(s.value, ir.Const) and s.value.value is None:
                continue
            return s
    return None


@register
class MissingAnnotation(Rule):
    code = "FLY201"
    name = "missing-annotation"
    category = Category.TYPE
    severity = Severity.WARNING
    summary = "A task parameter or return value has no type annotation."
    why = (
        "Flyte 2 types a task's interface from its annotations. An unannotated parameter is"
        " pickled (opaque in the UI, tied to one Python version, no type checks at the task"
        " boundary). A task without a return annotation declares *no outputs*: if it returns"
        " a value anyway, the action fails with `RuntimeDataValidationError` (\"Expected no"
        " outputs\")."
    )
    fix = "Annotate every parameter and the return type (`-> None` if it returns nothing)."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x):
    return x * 2
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x: int) -> int:
    return x * 2
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for t in ctx.tasks():
            if not ctx.reported(t.path):
                continue
            fn = t.function
            for p in fn.params:
                if p.annotation is None and p.kind not in ("vararg", "varkw"):
                    yield Finding(
                        t.path,
                        p.span,
                        f"parameter `{p.name}` of task `{t.fqn}` has no type annotation;"
                        " Flyte will pickle it",
                        help=f"annotate it with its type: `{p.name}: <type>`",
                        task=t.fqn,
                    )
            if fn.returns is None:
                ret = returns_value(fn)
                if ret is not None:
                    yield Finding(
                        t.path,
                        fn.name_span,
                        f"task `{t.fqn}` returns a value but has no return annotation; Flyte"
                        " declares no outputs and the run fails (RuntimeDataValidationError)",
                        help="add the return type, e.g. `-> int`",
                        task=t.fqn,
                    )
