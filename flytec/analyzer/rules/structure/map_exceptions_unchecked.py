"""FLY109: ``flyte.map`` results used without checking for exceptions."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import Source, argument_insertion
from flytec.compiler.recover.scopes import target_names
from flytec.model import body as ir
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix, Safety

MAP = {"flyte.map", "flyte.map.aio"}
CONSUMERS = {"builtins.list", "builtins.tuple", "builtins.sorted", "builtins.sum",
             "builtins.enumerate", "builtins.zip", "builtins.dict", "builtins.min",
             "builtins.max"}


@register
class MapExceptionsUnchecked(Rule):
    code = "FLY109"
    name = "map-exceptions-unchecked"
    category = Category.STRUCTURE
    severity = Severity.WARNING
    summary = (
        "`flyte.map` results are used without checking for exceptions while"
        " `return_exceptions` is True (its default)."
    )
    why = (
        "With `return_exceptions=True`, the default, a failed item does not raise: its"
        " exception object is yielded in place of the result. Code that sums, passes on or"
        " returns the results then fails later with a confusing error, or silently treats"
        " the exception as data."
    )
    fix = (
        "Pass `return_exceptions=False` to fail fast, or check each item"
        " (`if isinstance(r, Exception): ...`) before using it."
    )
    fix_applicability = Applicability.ALWAYS
    fix_safety = (Safety.UNSAFE,)
    fix_details = (
        "The fix (unsafe: a failed item then fails the whole map instead of being yielded)"
        " passes `return_exceptions=False`, or turns an explicit `True` into `False`."
    )
    fixed = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
async def score(user: str) -> float:
    return len(user) / 10


@env.task
async def main(users: list[str]) -> float:
    scores = [s async for s in flyte.map.aio(score, users, concurrency=8, return_exceptions=False)]
    return sum(scores)
"""
    bad = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
async def score(user: str) -> float:
    return len(user) / 10


@env.task
async def main(users: list[str]) -> float:
    scores = [s async for s in flyte.map.aio(score, users, concurrency=8)]
    return sum(scores)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="score")


@env.task
async def score(user: str) -> float:
    return len(user) / 10


@env.task
async def main(users: list[str]) -> float:
    scores = [
        s async for s in flyte.map.aio(score, users, concurrency=8, return_exceptions=False)
    ]
    return sum(scores)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for key, f in sorted(ctx.program.functions.items()):
            if not ctx.reported(f.path):
                continue
            sites = [s for s in ctx.program.calls.get(key, ())
                     if s.how in ("map", "map_aio") and s.target is not None]
            if not sites:
                continue
            fn = f.function
            for site in sites:
                if fn.is_async and site.how == "map" and "lambda" not in site.contexts:
                    continue  # sync map in async code: FLY105, where the fix goes
                rx = site.call.keyword("return_exceptions")
                if rx is not None and not (isinstance(rx, ir.Const) and rx.value is True):
                    continue  # False, or a value flytec cannot know
                names = _result_names(fn, site.call)
                if names is None:
                    continue  # discarded, or handed to code flytec does not follow
                if _checked(fn, names):
                    continue
                yield Finding(
                    f.path,
                    site.span,
                    "`flyte.map` yields exception objects for failed items"
                    " (return_exceptions defaults to True) and these results are used"
                    " without an `isinstance(..., Exception)` check",
                    task=ctx.task_fqn(key),
                    fix=_fix(ctx, f.path, site.call, rx),
                )


def _fix(ctx: RuleContext, path: str, call: ir.Call, rx: ir.Expr | None) -> Fix | None:
    msg = "pass `return_exceptions=False` (a failed item fails the map)"
    if rx is not None:
        return Fix(msg, (Edit(rx.span, "False"),), Safety.UNSAFE)
    text = ctx.source(path)
    add = argument_insertion(Source(text), call) if text is not None else None
    if add is None:
        return None
    return Fix(msg, (Edit(add.span, add.content + "return_exceptions=False"),), Safety.UNSAFE)


def _result_names(fn: ir.FunctionDef, call: ir.Call) -> set[str] | None:
    """Names that hold the map's results or items; None when they are not used here."""
    names: set[str] = set()
    used = False
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.For) and _is(s.iter, call):
            names.update(target_names(s.target))
            used = True
        if isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Comp):
            continue  # ``[r async for r in flyte.map.aio(...)]`` as a statement: discarded
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Comp):
                    for g in x.generators:
                        if _is(g.iter, call) or (isinstance(g.iter, ir.Name)
                                                 and g.iter.id in names):
                            names.update(target_names(g.target))
                            used = True
        if isinstance(s, ir.Assign) and _contains(s.value, call):
            for t in s.targets:
                names.update(target_names(t))
            used = True
        elif isinstance(s, ir.Return) and s.value is not None and _contains(s.value, call):
            used = True
    if not used:
        return None
    # items of a list of results: ``for r in results`` / ``[... for r in results]``
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.For) and isinstance(s.iter, ir.Name) and s.iter.id in names:
            names.update(target_names(s.target))
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Comp):
                    for g in x.generators:
                        if isinstance(g.iter, ir.Name) and g.iter.id in names:
                            names.update(target_names(g.target))
    return names


def _is(e: ir.Expr, call: ir.Call) -> bool:
    if e is call:
        return True
    return (isinstance(e, ir.Call) and len(e.args) == 1 and e.args[0].value is call
            and ir.dotted_name(e.func) in ("list", "tuple", "enumerate"))


def _contains(e: ir.Expr, call: ir.Call) -> bool:
    return any(x is call for x in ir.walk_expr(e))


def _checked(fn: ir.FunctionDef, names: set[str]) -> bool:
    """Is any of ``names`` tested with ``isinstance``, or passed to a helper (which may)?"""
    for s in ir.walk_stmts(fn.body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if not isinstance(x, ir.Call):
                    continue
                fname = ir.dotted_name(x.func)
                if fname in ("isinstance", "issubclass") and x.positional:
                    first = x.positional[0]
                    if any(isinstance(n, ir.Name) and n.id in names
                           for n in ir.walk_expr(first)):
                        return True
    return False
