"""FLY110: a falsy value in ``task.override(...)`` that Flyte silently ignores."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.deploy._overrides import iter_overrides, keyword_span
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix
from flytec.model.program import Dynamic
from flytec.model.span import Span

# override() keeps the task's value when the new one is falsy (``x or self.x``)
OR_KEYS = ("retries", "timeout", "cache", "max_inline_io_bytes", "env_vars", "secrets",
           "short_name", "queue", "pod_template", "links")
# where the task gets a value from: its decorator, else its environment
FROM_ENV = ("cache", "env_vars", "secrets", "pod_template", "queue")


@register
class OverrideFalsyIgnored(Rule):
    code = "FLY110"
    name = "override-falsy-ignored"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    summary = (
        "`task.override(retries=0)` (or another falsy value: `timeout=0`, `env_vars={}`,"
        " `cache=None` ...) is silently ignored."
    )
    why = (
        "`override()` merges with `new or old`, so a falsy value means \"not set\" and the"
        " task keeps its own setting: `override(retries=0)` on a task declared with"
        " `retries=3` still retries three times."
    )
    fix = (
        "Use a truthy value that means what you want: `retries=flyte.RetryStrategy(count=0)`,"
        ' `cache="disable"`, or declare the task without the setting.'
    )
    fix_applicability = Applicability.SOMETIMES
    fix_details = (
        "The fix writes the truthy value that means the same: `retries=0` (or `None`,"
        " `False`) becomes `retries=flyte.RetryStrategy(count=0)` and a falsy `cache` becomes"
        " `cache=\"disable\"`. Other falsy values (`timeout=0`, `env_vars={}` ...) have no"
        " such spelling and are left to you."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task(retries=3)
async def download(url: str) -> str:
    return url


@env.task
async def main(url: str) -> str:
    return await download.override(retries=0)(url)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task(retries=3)
async def download(url: str) -> str:
    return url


@env.task
async def main(url: str) -> str:
    return await download.override(retries=flyte.RetryStrategy(count=0))(url)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for o in iter_overrides(ctx):
            for kw in OR_KEYS:
                if kw not in o.values:
                    continue
                v = o.values[kw]
                if isinstance(v, Dynamic) or bool(v):
                    continue
                current = o.task.options.get(kw)
                if current is None and kw in FROM_ENV:
                    env = ctx.env(o.task)
                    current = env.config.get(kw) if env is not None else None
                if current is None or isinstance(current, Dynamic) or not current:
                    continue  # the task has no such setting: nothing to keep
                span = keyword_span(o, kw)
                assert isinstance(span, Span)
                shown = _show(current)
                yield Finding(
                    o.path,
                    span,
                    f"`{kw}={v!r}` is ignored by `.override()` (falsy means \"not set\");"
                    f" task `{o.task.fqn}` keeps {kw}={shown}",
                    task=ctx.task_fqn(o.function) if o.function else None,
                    fix=_fix(kw, v, span),
                )


_TRUTHY = {"retries": ("flyte.RetryStrategy(count=0)", ("flyte",)),
           "cache": ('"disable"', ())}


def _fix(kw: str, value: object, span: Span) -> Fix | None:
    got = _TRUTHY.get(kw)
    if got is None or value not in (0, None, False, ""):
        return None
    text, imports = got
    return Fix(f"`{kw}={text}`", (Edit(span, text),), imports=imports)


def _show(v: object) -> str:
    if isinstance(v, (int, float, str)):
        return repr(v)
    func = getattr(v, "func", None)
    return f"{func}(...)" if isinstance(func, str) else "its own value"
