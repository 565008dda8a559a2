"""FLY604: a task calls a task of another environment its environment does not depend on."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity
from flytec.model.program import Program


def depends_closure(program: Program, env_key: str) -> set[str]:
    seen = {env_key}
    stack = [env_key]
    while stack:
        e = program.environments.get(stack.pop())
        if e is None:
            continue
        for d in e.depends_on:
            if d not in seen:
                seen.add(d)
                stack.append(d)
    return seen


@register
class MissingEnvironmentDependency(Rule):
    code = "FLY604"
    name = "missing-environment-dependency"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "A task calls a task of another environment that its environment does not"
    summary += " depend on."
    why = (
        "When a task launches a task of another environment, Flyte looks up that"
        " environment's image in the images deployed with the caller. Unless the caller's"
        " environment lists it in `depends_on` (directly or transitively), the call fails at"
        " run time with `RuntimeUserError: MissingEnvironment`."
    )
    fix = (
        "Add the callee's environment to the caller's: `depends_on=[other_env]` or"
        " `env.add_dependency(other_env)`."
    )
    bad = """
import flyte

gpu = flyte.TaskEnvironment(name="gpu")
driver = flyte.TaskEnvironment(name="driver")


@gpu.task
async def train(x: int) -> int:
    return x


@driver.task
async def main(x: int) -> int:
    return await train(x=x)
"""
    good = """
import flyte

gpu = flyte.TaskEnvironment(name="gpu")
driver = flyte.TaskEnvironment(name="driver", depends_on=[gpu])


@gpu.task
async def train(x: int) -> int:
    return x


@driver.task
async def main(x: int) -> int:
    return await train(x=x)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        program = ctx.program
        closures: dict[str, set[str]] = {}
        by_module: dict[str, list[str]] | None = None
        for task in program.tasks.values():
            if task.env is None or not ctx.reported(task.path):
                continue
            caller_env = program.environments[task.env]
            closure = closures.get(task.env)
            if closure is None:  # (not setdefault: its argument is computed every time)
                closure = closures[task.env] = depends_closure(program, task.env)
            for site, chain in ctx.callgraph.task_calls_from(task.key):
                if site.target is None or "forward" in site.via:
                    continue
                callee = program.tasks.get(site.target)
                if callee is None or callee.env is None or callee.env in closure:
                    continue
                callee_env = program.environments[callee.env]
                if caller_env.name == callee_env.name and caller_env.name is not None:
                    continue
                fn = program.functions.get(site.caller)
                path = fn.path if fn is not None else task.path
                if not ctx.reported(path):
                    continue
                message = (
                    f"task `{task.fqn}` (environment `{caller_env.display}`) calls task"
                    f" `{callee.fqn}` of environment `{callee_env.display}`, which"
                    f" `{caller_env.display}` does not depend on"
                )
                # A run carries the images of its root environment's dependencies: started
                # from an environment that depends on both, the call works.
                if by_module is None:
                    by_module = environments_by_module(program)
                root = _covering_root(
                    program, ctx.visible(path), task.env, callee.env, closures, by_module
                )
                if root is None:
                    message += " (MissingEnvironment at run time)"
                    severity = None
                else:
                    message += (
                        f": it works only in runs started from `{root}`, whose dependencies"
                        " cover both; run on its own it fails with MissingEnvironment"
                    )
                    severity = Severity.WARNING
                yield Finding(
                    path,
                    site.span,
                    message,
                    help=f"add `depends_on=[{callee_env.var}]` to environment"
                    f" `{caller_env.var}`",
                    task=task.fqn,
                    chain=chain,
                    severity=severity,
                )


def _covering_root(
    program: Program,
    visible: set[str],
    caller_env: str,
    callee_env: str,
    closures: dict[str, set[str]],
    by_module: dict[str, list[str]],
) -> str | None:
    """The name of a visible environment whose dependency closure has both environments
    (the first by key). Only the environments of visible modules are looked at, so the cost
    follows the import closure, not the number of environments in the project."""
    candidates = sorted(k for m in visible for k in by_module.get(m, ()))
    for key in candidates:
        if key == caller_env:
            continue
        closure = closures.get(key)
        if closure is None:
            closure = closures[key] = depends_closure(program, key)
        if caller_env in closure and callee_env in closure:
            return program.environments[key].display
    return None


def environments_by_module(program: Program) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, env in program.environments.items():
        out.setdefault(env.module, []).append(key)
    return out
