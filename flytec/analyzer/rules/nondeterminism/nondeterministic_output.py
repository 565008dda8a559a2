"""FLY304: a task's output depends on the clock, randomness or the environment."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.dataflow.sources import HELP
from flytec.analyzer.dataflow.taint import Taint
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules.nondeterminism._analysis import ORDER_CATEGORIES, cache_auto, engine
from flytec.model.diagnostic import Category, RelatedLocation, Severity


@register
class NondeterministicOutput(Rule):
    code = "FLY304"
    name = "nondeterministic-output"
    category = Category.NONDETERMINISM
    severity = Severity.INFO
    summary = (
        "A leaf task (one that launches nothing) returns a value that differs between"
        " executions (clock, randomness, uuid, environment); a warning when it (or a driver)"
        " is cached with `behavior=\"auto\"`."
    )
    why = (
        "A task's output is its contract with whoever consumes it. In a task that launches"
        " nothing, a clock read or random draw is harmless for replay, but the output is not"
        " reproducible (info). Drivers are not reported here unless cached: what matters"
        " there is whether the value reaches a sub-task (FLY301-FLY303). With"
        " `cache=\"auto\"` the cache key is the inputs and the code, so the first value is"
        " stored and returned for every"
        " later run with the same inputs: a timestamp or random sample is frozen (warning)."
    )
    fix = (
        "Pass the time or seed as an input (`seed: int`, `as_of: datetime`), or disable the"
        " cache for this task."
    )
    bad = """
import random

import flyte

env = flyte.TaskEnvironment(name="ml")


@env.task(cache="auto")
async def sample(rows: list[int]) -> list[int]:
    return random.sample(rows, 10)
"""
    good = """
import random

import flyte

env = flyte.TaskEnvironment(name="ml")


@env.task(cache="auto")
async def sample(rows: list[int], seed: int) -> list[int]:
    return random.Random(seed).sample(rows, 10)
"""

    details = (
        "One finding per task: the first source of its output, the others as related"
        " locations. A driver (a task that launches sub-tasks) is reported only when it is"
        " cached with `behavior=\"auto\"`: its own clock reads or random draws reaching its"
        " output are frozen by the cache like a leaf task's (results of sub-tasks and"
        " traces are not sources). Draws from a module-level generator seeded with"
        " `random.seed(n)`, `numpy.random.seed(n)`, `torch.manual_seed(n)` (or a helper that"
        " seeds them) repeat, and are not reported unless the seed itself differs. Orders (of a"
        " set, a listing, completion) are not reported here: they permute the output, and"
        " where the order decides sub-tasks FLY303 says so."
    )

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        eng = engine(ctx)
        for task in sorted(ctx.program.tasks.values(), key=lambda t: t.key):
            if not ctx.reported(task.path):
                continue
            cached = cache_auto(ctx, task)
            if eng.launches.launches(task.key) and not cached:
                continue  # drivers: FLY301-FLY303 say what matters there
            found: list[Taint] = []
            seen: set[tuple[int, int]] = set()
            for t in sorted(eng.flow(task.key).returns, key=lambda x: (x.span.line,
                                                                       x.span.column)):
                if t.kind != "value" or t.path != task.path or t.category in ORDER_CATEGORIES:
                    continue  # an order (of a set, of completion) permutes, it adds nothing
                if (t.span.line, t.span.column) in seen:
                    continue
                seen.add((t.span.line, t.span.column))
                found.append(t)
            if not found:
                continue
            # blame what differs most plainly: the attempt number, then any source but a
            # read of the environment by a computed name
            found.sort(key=lambda x: (x.category != "attempt",
                                      x.source_category == "environment"))
            t, others = found[0], found[1:]
            if cached:
                msg = (f"task `{task.fqn}` is cached with behavior \"auto\" but returns a"
                       f" value from {t.what}; the first result is stored and replayed"
                       " for every later run with the same inputs")
            else:
                msg = (f"task `{task.fqn}` returns a value from {t.what}, so its output"
                       " differs between executions")
            yield Finding(
                t.path,
                t.span,
                msg,
                help=self.fix if cached else HELP.get(t.category),
                task=task.fqn,
                chain=(*t.steps, f"it reaches the output of task `{task.fqn}`"),
                severity=Severity.WARNING if cached else Severity.INFO,
                related=tuple(RelatedLocation(o.path, o.span, f"{o.what} also reaches the"
                                              f" output of task `{task.fqn}`")
                              for o in others),
            )
