"""FLY601: an environment name Flyte rejects."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.model.diagnostic import Category, Severity

NAME_RE = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")


def suggest(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-_")
    return s or "my-env"


@register
class InvalidEnvironmentName(Rule):
    code = "FLY601"
    name = "invalid-environment-name"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "An environment name is not lowercase snake_case or kebab-case."
    why = (
        "`flyte.TaskEnvironment` validates its name against `^[a-z0-9]+([_-][a-z0-9]+)*$`"
        " when the module is imported and raises `ValueError`; the name also becomes part of"
        " every task's name (`env.function`)."
    )
    fix = "Use lowercase letters and digits separated by single `_` or `-`, e.g. `data-prep`."
    bad = """
import flyte

env = flyte.TaskEnvironment(name="Data Prep")
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="data-prep")
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for env in ctx.program.environments.values():
            if not ctx.reported(env.path) or not isinstance(env.name, str):
                continue
            if NAME_RE.match(env.name):
                continue
            yield Finding(
                env.path,
                env.name_span,
                f"environment name {env.name!r} is invalid: Flyte requires lowercase"
                " letters and digits separated by `_` or `-` (ValueError at import)",
                help=f"rename it, e.g. {suggest(env.name)!r}",
            )
