"""FLY202: an annotation that Flyte's type engine pickles."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.types.annotations import pickled_parts
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.span import Span


@register
class PickledAnnotation(Rule):
    code = "FLY202"
    name = "pickled-annotation"
    category = Category.TYPE
    severity = Severity.WARNING
    summary = "A task's input or output type has no Flyte type and will be pickled."
    why = (
        "Types without a Flyte transformer (`bytes`, sets, `Any`, bare `list`/`dict`, plain"
        " classes) fall back to pickle: the value is opaque in the UI, cannot be used from"
        " another language, only loads under the same Python version, and large pickles are"
        " offloaded to blob storage."
    )
    fix = (
        "Use a typed container (`list[int]`, `dict[str, float]`), a dataclass or pydantic"
        " model, or `flyte.io.File` for raw bytes."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def tags(names: list[str]) -> set[str]:
    return set(names)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def tags(names: list[str]) -> list[str]:
    return sorted(set(names))
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for t in ctx.tasks():
            if not ctx.reported(t.path):
                continue
            fn = t.function
            items: list[tuple[str, ir.Expr]] = [
                (f"parameter `{p.name}`", p.annotation)
                for p in fn.params
                if p.annotation is not None
            ]
            if fn.returns is not None:
                items.append(("the return type", fn.returns))
            for what, ann in items:
                for v in pickled_parts(ctx, t.module, ann):
                    span = v.span if isinstance(v.span, Span) else fn.name_span
                    yield Finding(
                        t.path,
                        span,
                        f"{what} of task `{t.fqn}` is `{v.text}`: {v.reason}, so Flyte will"
                        " pickle it",
                        task=t.fqn,
                        severity=None if v.certain else Severity.INFO,
                    )
