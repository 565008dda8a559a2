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
from flytec.model.diagnostic import RelatedLocation
from flytec.model.program import StaticCall, Task

ORDER_CATEGORIES = frozenset({"order", "timing"})
# A driver's environment is fixed by its task template: identical on every retry and
# recovery, so an environment read does not make a retried driver launch other sub-tasks.
# (The attempt number, which does differ, is a source of its own: "attempt".)
STABLE_IN_DRIVERS = frozenset({"environment"})


@dataclass(frozen=True)
class Hit:
    rule: str  # "input" | "control" | "order"
    taint: Taint
    sink: Sink
    task: Task | None  # the driver task, None for a helper that launches sub-tasks
    function: str  # the function holding the source

    @property
    def driver(self) -> str:
        """How the driver is named in messages."""
        if self.task is not None:
            return f"driver `{self.task.fqn}`"
        return f"`{self.function.partition(':')[2]}()` (it launches sub-tasks)"

    @property
    def fqn(self) -> str | None:
        return self.task.fqn if self.task is not None else None


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
    # Every function that launches sub-tasks is analysed on its own (tasks and helpers
    # alike), so a file's findings do not depend on which other files were loaded.
    for key in sorted(ctx.program.functions):
        if key in ctx.program.traces or not eng.launches.launches(key):
            continue
        task = ctx.program.tasks.get(key)
        for sink in eng.flow(key).sinks:
            for t in sorted(sink.taints, key=lambda x: (x.span.line, x.span.column)):
                if t.kind == "client" or t.source_category in STABLE_IN_DRIVERS:
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
                hits.append(Hit(rule, t, sink, task, key))
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


def grouped(hits: list[Hit], rule: str) -> list[tuple[Hit, list[Hit]]]:
    """One problem, one finding: hits of ``rule`` grouped by driver and sink (the place the
    fix goes), the first source as the finding, the others as its related locations; and
    of the groups left, one per source, the other sinks it reaches related too."""
    by_sink: dict[tuple[str, str, int, int], list[Hit]] = {}
    for h in hits:
        if h.rule != rule:
            continue
        k = (h.function, h.sink.path, h.sink.span.line, h.sink.span.column)
        by_sink.setdefault(k, []).append(h)
    by_source: dict[tuple[str, str, int, int], tuple[Hit, list[Hit]]] = {}
    for group in by_sink.values():
        group.sort(key=lambda h: (_rank(h.taint), h.taint.span.line, h.taint.span.column))
        first, rest = group[0], group[1:]
        k = (first.function, first.taint.path, first.taint.span.line, first.taint.span.column)
        if k in by_source:
            by_source[k][1].extend([first, *rest])
        else:
            by_source[k] = (first, list(rest))
    return list(by_source.values())


def _rank(t: Taint) -> int:
    """Which source a finding blames: the attempt number (what differs on a retry) first."""
    return 0 if t.category == "attempt" else 1


def related_of(first: Hit, others: list[Hit]) -> tuple[RelatedLocation, ...]:
    out: list[RelatedLocation] = []
    seen: set[tuple[str, int, int]] = {(first.taint.path, first.taint.span.line,
                                        first.taint.span.column)}
    for h in others:
        same_source = (h.taint.path, h.taint.span.line, h.taint.span.column) in seen
        if same_source:  # the same value reaching another sink
            k = (h.sink.path, h.sink.span.line, h.sink.span.column)
            if k in seen:
                continue
            seen.add(k)
            out.append(RelatedLocation(h.sink.path, h.sink.span, f"it also {_sink_text(h)}"))
        else:  # another value reaching the same sink
            seen.add((h.taint.path, h.taint.span.line, h.taint.span.column))
            out.append(RelatedLocation(h.taint.path, h.taint.span,
                                       f"{h.taint.what} also {_sink_text(h)}"))
    return tuple(out)


def _sink_text(h: Hit) -> str:
    d = h.sink.detail
    return f"reaches {d}" if "(line" in d else f"{d} (line {h.sink.span.line})"


def chain_of(hit: Hit) -> tuple[str, ...]:
    d = hit.sink.detail
    last = f"it reaches {d}" if "(line" in d else f"it {d} (line {hit.sink.span.line})"
    return (*hit.taint.steps, *hit.sink.steps, last)

