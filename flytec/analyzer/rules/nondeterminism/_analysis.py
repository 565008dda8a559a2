"""The non-determinism analysis shared by FLY301-FLY304, run once per check.

Every function that runs in a task's process and launches sub-tasks (the task itself or a
helper it calls) is walked by :class:`~flytec.analyzer.dataflow.taint.TaintEngine`; each
tainted value reaching a sink becomes a :class:`Hit`, reported where the value enters that
function (the source call, or the call of a helper that returns it).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.taint import Sink, Taint, TaintEngine
from flytec.model.program import StaticCall, Task

ORDER_CATEGORIES = frozenset({"order", "timing"})


@dataclass(frozen=True)
class Hit:
    rule: str  # "input" | "control" | "order"
    taint: Taint
    sink: Sink
    task: Task
    chain: tuple[str, ...]  # from the task to the function holding the source


@dataclass
class Result:
    engine: TaintEngine
    hits: list[Hit]


_CACHE: weakref.WeakKeyDictionary[RuleContext, Result] = weakref.WeakKeyDictionary()


def engine(ctx: RuleContext) -> TaintEngine:
    return analyze(ctx).engine


def analyze(ctx: RuleContext) -> Result:
    got = _CACHE.get(ctx)
    if got is not None:
        return got
    eng = TaintEngine(ctx.program, ctx.resolver)
    hits: list[Hit] = []
    seen: set[tuple[str, str, int, int, str]] = set()
    done: set[str] = set()
    for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
        for key, chain in ctx.callgraph.in_process(task.key):
            if key in done or key in ctx.program.traces:
                continue
            if not eng.launches.launches(key):
                continue
            done.add(key)
            for sink in eng.flow(key).sinks:
                for t in sorted(sink.taints, key=lambda x: (x.span.line, x.span.column)):
                    if t.kind == "client":
                        continue
                    if t.category in ORDER_CATEGORIES:
                        rule = "order"
                    elif t.kind == "order":
                        if sink.kind != "input":
                            continue
                        rule = "order"
                    else:
                        rule = "input" if sink.kind == "input" else "control"
                    k = (rule, t.path, t.span.line, t.span.column, t.what)
                    if k in seen:
                        continue
                    seen.add(k)
                    hits.append(Hit(rule, t, sink, task, chain))
    res = Result(eng, hits)
    _CACHE[ctx] = res
    return res


def cache_auto(ctx: RuleContext, task: Task) -> bool:
    """Is the task cached with ``behavior="auto"`` (by its decorator or its environment)?"""
    value = task.options.get("cache")
    if value is None:
        env = ctx.env(task)
        value = env.config.get("cache") if env is not None else None
    if value == "auto":
        return True
    if isinstance(value, StaticCall) and value.func == "flyte.Cache":
        b = value.kw("behavior", value.args[0] if value.args else None)
        return bool(b == "auto")
    return False


def chain_of(hit: Hit) -> tuple[str, ...]:
    d = hit.sink.detail
    last = f"it reaches {d}" if "(line" in d else f"it {d} (line {hit.sink.span.line})"
    return (*hit.chain, *hit.taint.steps, *hit.sink.steps, last)

