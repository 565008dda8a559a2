"""FLY401: a task mutates module-level state."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.global_state._accesses import WRITE_HOW, describe_global, facts
from flytec.model.diagnostic import Category, Severity


@register
class GlobalStateWrite(Rule):
    code = "FLY401"
    name = "global-state-write"
    category = Category.GLOBAL_STATE
    severity = Severity.WARNING
    summary = (
        "A task (or a helper it calls) mutates module-level state: `global x` plus"
        " assignment, `.append` / `.update` / `[k] = ...`, or an attribute of a module object."
    )
    why = (
        "Every task runs in its own container, so a change a task makes to a module-level"
        " list, dict, counter or object is lost when it returns: no other task, and no"
        " retry of the same task, sees it. Locally all tasks share one process, which hides"
        " the bug until the code runs on a cluster; with reusable containers the state"
        " instead leaks between unrelated runs."
    )
    fix = (
        "Pass the state explicitly: return it from the task and give it to the next task as"
        " an input (or write it to a `flyte.io.File`). A per-process cache is fine when it"
        " is filled lazily (`if key not in CACHE: CACHE[key] = ...`)."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="ingest")

SEEN: list[str] = []


@env.task
async def ingest(ids: list[str]) -> int:
    for i in ids:
        SEEN.append(i)
    return len(ids)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="ingest")


@env.task
async def ingest(ids: list[str]) -> list[str]:
    seen: list[str] = []
    for i in ids:
        seen.append(i)
    return seen
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        seen: set[tuple[str, int, int]] = set()
        for w in facts(ctx).writes:
            a = w.access
            if not ctx.reported(w.path) or (w.path, w.span.line, w.span.column) in seen:
                continue
            seen.add((w.path, w.span.line, w.span.column))
            f = ctx.program.functions[w.function]
            target = describe_global(ctx, a.module, a.name, ctx.program.tasks[w.task.key].module)
            verb = WRITE_HOW.get(a.how, "mutates")
            if w.function == w.task.key:
                who = f"task `{w.task.fqn}`"
            else:
                who = (f"task `{w.task.fqn}` calls `{w.function.partition(':')[2]}()`, which"
                       f" ({f.path}:{a.span.line})")
            yield Finding(
                w.path,
                w.span,
                f"{who} {verb} {target}; each task runs in its own container, so other"
                " tasks never see the change (a local run, where all tasks share one"
                " process, hides this)",
                task=w.task.fqn,
                chain=w.chain,
            )
