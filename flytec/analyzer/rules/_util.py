"""Small helpers shared by rules."""

from __future__ import annotations

from flytec.analyzer.context import RuleContext
from flytec.model.program import CallSite, Function


def short(key: str) -> str:
    """``function`` of ``"module:function"``."""
    return key.partition(":")[2] or key


def describe(ctx: RuleContext, key: str | None) -> str:
    """How a function is named in messages: ``task `env.f```, ``trace `f```, ``helper `f```."""
    if key is None:
        return "an unknown function"
    t = ctx.program.tasks.get(key)
    if t is not None:
        return f"task `{t.fqn}`"
    if key in ctx.program.traces:
        return f"trace `{short(key)}`"
    return f"function `{short(key)}`"


def function_of(ctx: RuleContext, key: str) -> Function | None:
    return ctx.program.functions.get(key)


def path_of(ctx: RuleContext, key: str) -> str | None:
    f = ctx.program.functions.get(key)
    return f.path if f is not None else None


def callee_name(ctx: RuleContext, site: CallSite) -> str:
    if site.target is not None:
        t = ctx.program.tasks.get(site.target)
        if t is not None:
            return t.fqn
        return short(site.target)
    return site.remote_name or site.external or "?"
