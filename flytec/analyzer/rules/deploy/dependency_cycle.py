"""FLY603: a cycle in ``depends_on``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity


@register
class DependencyCycle(Rule):
    code = "FLY603"
    name = "environment-dependency-cycle"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "Environments depend on each other in a cycle."
    why = (
        "`flyte deploy` walks `depends_on` recursively without remembering what it has seen,"
        " so a cycle (A depends on B, B on A, also through `add_dependency`) ends in"
        " `RecursionError` and nothing is deployed."
    )
    fix = (
        "Make the dependencies one-way: the environment whose tasks call the others depends on"
        " them, never the reverse."
    )
    bad = """
import flyte

a = flyte.TaskEnvironment(name="a")
b = flyte.TaskEnvironment(name="b", depends_on=[a])
a.add_dependency(b)
"""
    good = """
import flyte

a = flyte.TaskEnvironment(name="a")
b = flyte.TaskEnvironment(name="b", depends_on=[a])
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        envs = ctx.program.environments
        for key, env in envs.items():
            if not ctx.reported(env.path):
                continue
            path = _cycle_from(key, envs)
            if path is None:
                continue
            names = " -> ".join(envs[k].display for k in [*path, key])
            nxt = path[1] if len(path) > 1 else key
            yield Finding(
                env.path,
                env.dependency_spans.get(nxt, env.span),
                f"environment dependency cycle: {names}; flyte deploy fails with"
                " RecursionError",
            )


def _cycle_from(start: str, envs: Mapping[str, object]) -> list[str] | None:
    """The cycle through ``start`` (a list of keys starting with it), if any."""
    from flytec.model.program import Environment

    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        env = envs.get(node)
        if not isinstance(env, Environment):
            continue
        for dep in env.depends_on:
            if dep == start:
                return path
            if dep not in seen:
                seen.add(dep)
                stack.append((dep, [*path, dep]))
    return None
