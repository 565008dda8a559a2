"""Small helpers shared by rules."""

from __future__ import annotations

from collections.abc import Iterator

from flytec.analyzer.context import RuleContext
from flytec.model import body as ir
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


def iter_calls_to(ctx: RuleContext, names: set[str]) -> Iterator[tuple[str, str, ir.Call]]:
    """(module, path, call) for every call in reported modules resolving to one of ``names``
    (external dotted names such as ``"flyte.Cache"``), at module level or in any function."""
    last = {n.rsplit(".", 1)[-1] for n in names}
    for mod in ctx.program.modules.values():
        if not ctx.reported(mod.path):
            continue
        imported = ctx.resolver.symbols(mod.module).imports
        for _key, x, local in ctx.module_calls(mod.module):
            f = x.func
            tail = f.attr if isinstance(f, ir.Attribute) else getattr(f, "id", None)
            if tail is None:
                continue  # e.g. ``make()(...)``: not a direct reference
            if tail not in last and not (isinstance(f, ir.Name) and tail in imported):
                continue
            name = ctx.resolver.external_name(mod.module, f, local)
            if name in names:
                yield mod.module, mod.path, x


def _all_stmts(body: list[ir.Stmt]) -> Iterator[ir.Stmt]:
    for s in ir.walk_stmts(body):
        yield s
        if isinstance(s, ir.FunctionStmt):
            yield from _all_stmts(s.func.body)
        elif isinstance(s, ir.ClassStmt):
            yield from _all_stmts(s.cls.body)


def seconds(value: object) -> float | None:
    """Seconds of an int/float or a static ``datetime.timedelta(...)``."""
    from flytec.model.program import StaticCall

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, StaticCall) and value.func in ("datetime.timedelta", "timedelta"):
        units = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1,
                 "milliseconds": 0.001, "microseconds": 1e-6, "weeks": 604800}
        total = 0.0
        order = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
        for name, v in zip(order, value.args):
            if not isinstance(v, (int, float)):
                return None
            total += v * units[name]
        for k, v in value.kwargs:
            if k not in units or not isinstance(v, (int, float)):
                return None
            total += v * units[k]
        return total
    return None


def is_sandbox_orchestrator(ctx: RuleContext, key: str) -> bool:
    """``@env.sandbox.orchestrator`` functions run in Flyte's sandboxed interpreter, where
    tasks are called directly (no ``await``/``.aio``): Python's async rules do not apply."""
    f = ctx.program.functions.get(key)
    if f is None:
        return False
    for d in f.function.decorators:
        expr = d.expr.func if isinstance(d.expr, ir.Call) else d.expr
        r = ctx.resolver.resolve(f.module, expr)
        if r is not None and r.kind == "symbol" and r.rest[-2:] == ("sandbox", "orchestrator"):
            return True
    return False
