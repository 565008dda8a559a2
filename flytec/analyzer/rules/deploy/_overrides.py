"""Every ``task.override(...)`` call in the reported files, with the task it overrides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flytec.analyzer.context import RuleContext
from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.model import body as ir
from flytec.model.program import Task


@dataclass
class Override:
    path: str
    module: str
    call: ir.Call
    task: Task
    function: str | None  # key of the enclosing function, None at module level
    values: dict[str, object]  # static keyword values (Dynamic when unknown)


def iter_overrides(ctx: RuleContext) -> Iterator[Override]:
    ev = StaticEvaluator(ctx.resolver, set(ctx.program.environments))
    for mod in ctx.program.modules.values():
        if not ctx.reported(mod.path):
            continue
        for key, x, local in ctx.module_calls(mod.module):
            if not (isinstance(x.func, ir.Attribute) and x.func.attr == "override"):
                continue
            r = ctx.resolver.resolve(mod.module, x.func.value, local)
            if r is None or r.kind != "symbol" or r.rest:
                continue
            task = ctx.program.tasks.get(r.key)
            if task is None:
                continue
            values = {a.keyword: ev.eval(mod.module, a.value) for a in x.args if a.keyword}
            yield Override(mod.path, mod.module, x, task, key, values)


def keyword_span(o: Override, name: str) -> object:
    for a in o.call.args:
        if a.keyword == name:
            return getattr(a.value, "span", o.call.span)
    return o.call.span
