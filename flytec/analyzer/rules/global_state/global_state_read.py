"""FLY402: a task reads module-level state that another task mutates."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.global_state._accesses import describe_global, facts
from flytec.model.diagnostic import Category, Severity


@register
class GlobalStateRead(Rule):
    code = "FLY402"
    name = "global-state-read"
    category = Category.GLOBAL_STATE
    severity = Severity.WARNING
    summary = "A task reads module-level state that only another task mutates."
    why = (
        "Tasks run in separate containers. A module-level list, dict or counter that one"
        " task fills is still empty (or at its initial value) in every other task's"
        " container, so the reader silently sees nothing. Locally all tasks share one"
        " process and the code appears to work."
    )
    fix = (
        "Make the data an output of the task that produces it and an input of the task that"
        " reads it."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="ingest")

SEEN: list[str] = []


@env.task
async def ingest(ids: list[str]) -> None:
    SEEN.extend(ids)


@env.task
async def count_seen() -> int:
    return len(SEEN)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="ingest")


@env.task
async def ingest(ids: list[str]) -> list[str]:
    return list(ids)


@env.task
async def count_seen(seen: list[str]) -> int:
    return len(seen)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        st = facts(ctx)
        writers: dict[tuple[str, str], list[tuple[str, str, int, str, str]]] = {}
        for w in st.writes:
            wf = ctx.program.functions[w.function]
            writers.setdefault((w.access.module, w.access.name), []).append(
                (w.task.key, w.task.fqn, w.access.span.line, wf.path, w.task.path))
        seen: set[tuple[str, int, int]] = set()
        for r in st.reads:
            a = r.access
            if not ctx.reported(r.path) or (r.path, r.span.line, r.span.column) in seen:
                continue
            ws = writers.get((a.module, a.name), [])
            visible = ctx.visible(r.path)
            others = [
                w for w in ws
                if w[0] != r.task.key and ctx.program.paths.get(w[4]) in visible
            ]
            if not others or any(w[0] == r.task.key for w in ws):
                continue
            seen.add((r.path, r.span.line, r.span.column))
            f = ctx.program.functions[r.function]
            _, fqn, line, wpath, _ = others[0]
            where = f"line {line}" if wpath == r.path else f"{wpath}:{line}"
            if r.function == r.task.key:
                who = f"task `{r.task.fqn}`"
            else:
                who = (f"task `{r.task.fqn}` calls `{r.function.partition(':')[2]}()`, which"
                       f" ({f.path}:{a.span.line})")
            yield Finding(
                r.path,
                r.span,
                f"{who} reads {describe_global(ctx, a.module, a.name, r.task.module)}, which"
                f" task `{fqn}` mutates ({where}); on a cluster each task has its own"
                " container and never sees those changes",
                task=r.task.fqn,
                chain=(*r.chain, f"task `{fqn}` mutates `{a.name}` ({where})"),
            )
