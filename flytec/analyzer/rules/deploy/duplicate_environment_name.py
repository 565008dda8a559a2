"""FLY602: two environments with the same name."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, RelatedLocation, Severity


@register
class DuplicateEnvironmentName(Rule):
    code = "FLY602"
    name = "duplicate-environment-name"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "Two different environments share one name."
    why = (
        "Task names are `env.function`, and `flyte deploy` collects environments by name:"
        " two different environments with one name fail the deploy with `ValueError:"
        " Duplicate environment name`, and their tasks would collide."
    )
    fix = "Give every environment its own name (or reuse one environment object)."
    bad = """
import flyte

train = flyte.TaskEnvironment(name="ml")
serve = flyte.TaskEnvironment(name="ml")
"""
    good = """
import flyte

train = flyte.TaskEnvironment(name="ml-train")
serve = flyte.TaskEnvironment(name="ml-serve")
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        by_name: dict[str, list[str]] = {}
        for env in ctx.program.environments.values():
            if isinstance(env.name, str):
                by_name.setdefault(env.name, []).append(env.key)
        for name, keys in by_name.items():
            if len(keys) < 2:
                continue
            for key in keys:
                env = ctx.program.environments[key]
                if not ctx.reported(env.path):
                    continue
                visible = ctx.visible(env.path)
                others = [
                    ctx.program.environments[k]
                    for k in keys
                    if k != key and ctx.program.environments[k].module in visible
                ]
                if not others:
                    continue
                if any(o.path == env.path and o.span.line > env.span.line for o in others):
                    continue  # one finding per file: at the later definition, the fix's place
                other = others[0]
                where = (
                    f"line {other.span.line}"
                    if other.path == env.path
                    else f"{other.path}:{other.span.line}"
                )
                yield Finding(
                    env.path,
                    env.name_span,
                    f"environment `{env.var}` is named {name!r}, like `{other.var}` at {where};"
                    " deploying both fails (Duplicate environment name)",
                    related=tuple(RelatedLocation(o.path, o.name_span,
                                                  f"environment `{o.var}` is also named {name!r}")
                                  for o in others),
                )
