"""FLY605 and FLY606: ``ReusePolicy`` values Flyte rejects."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._util import iter_calls_to, seconds
from flytec.model.diagnostic import Category, Severity
from flytec.model.program import StaticCall

REUSE = {"flyte.ReusePolicy"}


@register
class ReuseTtlTooShort(Rule):
    code = "FLY605"
    name = "reuse-ttl-too-short"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "A `ReusePolicy` has an `idle_ttl` or `scaledown_ttl` under 30 seconds."
    why = (
        "Reusable containers are kept warm for at least 30 seconds; `flyte.ReusePolicy`"
        " raises `ValueError` for a shorter `idle_ttl` or `scaledown_ttl` when the module is"
        " imported."
    )
    fix = "Use a TTL of 30 seconds or more (`idle_ttl=60` or `timedelta(minutes=1)`)."
    bad = """
import flyte

env = flyte.TaskEnvironment(
    name="actors", reusable=flyte.ReusePolicy(replicas=2, idle_ttl=10)
)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(
    name="actors", reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60)
)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        ev = _evaluator(ctx)
        for module, path, call in iter_calls_to(ctx, REUSE):
            for kw in ("idle_ttl", "scaledown_ttl"):
                expr = call.keyword(kw)
                if expr is None:
                    continue
                secs = seconds(ev.eval(module, expr))
                if secs is not None and secs < 30:
                    yield Finding(
                        path,
                        getattr(expr, "span", call.span),
                        f"`{kw}` of {secs:g} s is under the 30 s minimum of ReusePolicy"
                        " (ValueError at import)",
                    )


@register
class ReuseConcurrencyOnSyncTask(Rule):
    code = "FLY606"
    name = "reuse-concurrency-sync-task"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "A sync task lives in a reusable environment with `concurrency` above 1."
    why = (
        "With `ReusePolicy(concurrency=N)`, one container runs up to N tasks at once on one"
        " event loop, which only async tasks can share. Flyte raises `ValueError` when a sync"
        " function is decorated with such an environment's `task`."
    )
    fix = "Make the task `async def`, or use `concurrency=1` for environments with sync tasks."
    bad = """
import flyte

env = flyte.TaskEnvironment(
    name="actors", reusable=flyte.ReusePolicy(replicas=2, concurrency=4)
)


@env.task
def embed(text: str) -> list[float]:
    return [float(len(text))]
"""
    good = """
import flyte

env = flyte.TaskEnvironment(
    name="actors", reusable=flyte.ReusePolicy(replicas=2, concurrency=4)
)


@env.task
async def embed(text: str) -> list[float]:
    return [float(len(text))]
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for t in ctx.tasks():
            if t.is_async or t.env is None or not ctx.reported(t.path):
                continue
            env = ctx.program.environments[t.env]
            policy = env.config.get("reusable")
            if not isinstance(policy, StaticCall) or policy.func not in REUSE:
                continue
            conc = policy.kw("concurrency")
            if isinstance(conc, int) and conc > 1:
                yield Finding(
                    t.path,
                    t.function.name_span,
                    f"sync task `{t.fqn}` is in environment `{env.display}` whose ReusePolicy"
                    f" has concurrency={conc}; Flyte only allows async tasks there"
                    " (ValueError at import)",
                    task=t.fqn,
                )


def _evaluator(ctx: RuleContext):  # type: ignore[no-untyped-def]
    from flytec.compiler.recover.static_eval import StaticEvaluator

    return StaticEvaluator(ctx.resolver, set(ctx.program.environments))
