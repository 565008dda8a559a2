"""FLY608: overriding resources, env vars or secrets of a task in a reusable environment."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.deploy._overrides import iter_overrides, keyword_span
from flytec.model.diagnostic import Category, Severity
from flytec.model.span import Span

REFUSED = ("resources", "env_vars", "secrets")


@register
class ReusableOverride(Rule):
    code = "FLY608"
    name = "reusable-override"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = (
        "`.override(resources=...)` (or `env_vars`, `secrets`) on a task of a reusable"
        " environment without `reusable=\"off\"`."
    )
    why = (
        "Reusable containers are started once with the environment's resources, env vars"
        " and secrets and then serve many tasks. `task.override()` raises `ValueError`"
        " (\"Cannot override resources when reusable is set\") unless the same call turns"
        " reuse off for that invocation."
    )
    fix = 'Add `reusable="off"` to the same `.override(...)` call.'
    bad = """
import flyte

env = flyte.TaskEnvironment(
    name="warm", reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60)
)


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(x: int) -> int:
    big = square.override(resources=flyte.Resources(memory="8Gi"))
    return await big(x)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(
    name="warm", reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60)
)


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(x: int) -> int:
    big = square.override(resources=flyte.Resources(memory="8Gi"), reusable="off")
    return await big(x)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for o in iter_overrides(ctx):
            env = ctx.env(o.task)
            if env is None or env.config.get("reusable") is None:
                continue
            if "reusable" in o.values:
                continue  # "off", or a new policy: only "off" allows it, the value may be dynamic
            for kw in REFUSED:
                if kw not in o.values or o.values[kw] is None:
                    continue
                span = keyword_span(o, kw)
                assert isinstance(span, Span)
                yield Finding(
                    o.path,
                    span,
                    f"task `{o.task.fqn}` is in reusable environment `{env.display}`;"
                    f" overriding `{kw}` without `reusable=\"off\"` raises ValueError",
                    task=ctx.task_fqn(o.function) if o.function else None,
                )
