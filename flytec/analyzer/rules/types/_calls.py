"""Task call sites bound to the callee's parameters, for the cheap call-site checks."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.values import TypeRef, ValueTypes, type_of_annotation
from flytec.compiler.recover.scopes import enclosing_locals
from flytec.model import body as ir
from flytec.model.program import CallSite, Task


@dataclass
class BoundCall:
    caller: str
    path: str
    site: CallSite
    task: Task
    args: list[tuple[ir.Expr, ir.Param]] = field(default_factory=list)
    missing: list[ir.Param] = field(default_factory=list)
    extra_positional: list[ir.Expr] = field(default_factory=list)
    unknown_keywords: list[ir.Arg] = field(default_factory=list)
    duplicate: list[ir.Arg] = field(default_factory=list)
    types: ValueTypes | None = None

    def param_type(self, ctx: RuleContext, p: ir.Param) -> TypeRef | None:
        return type_of_annotation(ctx.resolver, self.task.module, p.annotation)


_CACHE: weakref.WeakKeyDictionary[RuleContext, list[BoundCall]] = weakref.WeakKeyDictionary()


def bound_calls(ctx: RuleContext) -> list[BoundCall]:
    got = _CACHE.get(ctx)
    if got is None:
        got = list(_bind_all(ctx))
        _CACHE[ctx] = got
    return got


def _bind_all(ctx: RuleContext) -> Iterator[BoundCall]:
    for caller, sites in sorted(ctx.program.calls.items()):
        f = ctx.program.functions.get(caller)
        if f is None or not ctx.reported(f.path):
            continue
        types: ValueTypes | None = None
        for site in sites:
            if site.how != "call" or site.target_kind != "task" or site.target is None:
                continue
            task = ctx.program.tasks.get(site.target)
            if task is None or ctx.program.paths.get(task.path) not in ctx.visible(f.path):
                continue
            if any(a.star for a in site.call.args):
                continue
            if types is None:
                mod = ctx.program.modules[f.module]
                by_q = {x.qualname: x for x in [*mod.functions, *mod.nested_functions]}
                types = ValueTypes(ctx.program, ctx.resolver, caller,
                                   enclosing_locals(f.function, by_q))
            b = BoundCall(caller, f.path, site, task, types=types)
            params = [p for p in task.function.params if p.kind in ("posonly", "normal",
                                                                      "kwonly")]
            positional = [p for p in params if p.kind in ("posonly", "normal")]
            given: set[str] = set()
            pos = 0
            for a in site.call.args:
                if a.keyword is None:
                    if pos < len(positional):
                        b.args.append((a.value, positional[pos]))
                        given.add(positional[pos].name)
                    else:
                        b.extra_positional.append(a.value)
                    pos += 1
                    continue
                p = task.function.param(a.keyword)
                if p is None or p.kind == "posonly":
                    b.unknown_keywords.append(a)
                elif p.name in given:
                    b.duplicate.append(a)
                else:
                    b.args.append((a.value, p))
                    given.add(p.name)
            partial = site.override.get("partial")
            if isinstance(partial, list):
                given.update(str(x) for x in partial)
            b.missing = [p for p in params if p.default is None and p.name not in given]
            yield b
