"""FLY607: ``flyte.Cache(version=...)``; the field is ``version_override``."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.rules._fixes import Source, keyword_span
from flytec.analyzer.rules._util import iter_calls_to
from flytec.model.diagnostic import Category, Severity
from flytec.model.fix import Applicability, Edit, Fix

CACHE_KWARGS = {
    "behavior", "version_override", "serialize", "ignored_inputs", "salt", "policies", "max_age",
}


@register
class CacheVersionKeyword(Rule):
    code = "FLY607"
    name = "cache-unknown-keyword"
    category = Category.DEPLOY
    severity = Severity.ERROR
    summary = "`flyte.Cache(...)` is given a keyword it does not have, such as `version=`."
    why = (
        "`flyte.Cache` accepts `behavior`, `version_override`, `serialize`, `ignored_inputs`,"
        " `salt`, `policies` and `max_age`. Any other keyword (most often `version=`, from"
        " Flyte 1's `cache_version`) raises `TypeError` when the module is imported."
    )
    fix = "Write `flyte.Cache(behavior=\"override\", version_override=\"v2\")`."
    fix_applicability = Applicability.SOMETIMES  # `version=` only: other keywords are guesses
    fix_details = (
        "The fix renames `version=` to `version_override=` (unless both are given); other"
        " unknown keywords have no fix."
    )
    bad = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task(cache=flyte.Cache(behavior="override", version="v2"))
async def load(day: str) -> int:
    return len(day)
"""
    good = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task(cache=flyte.Cache(behavior="override", version_override="v2"))
async def load(day: str) -> int:
    return len(day)
"""

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for _module, path, call in iter_calls_to(ctx, {"flyte.Cache"}):
            for a in call.args:
                if a.keyword is None or a.keyword in CACHE_KWARGS:
                    continue
                hint = " (the field is `version_override`)" if a.keyword == "version" else ""
                fix = None
                text = ctx.source(path)
                if a.keyword == "version" and call.keyword("version_override") is None \
                        and text is not None:
                    name = keyword_span(Source(text), a.value.span, "version")
                    if name is not None:
                        fix = Fix("rename `version=` to `version_override=`",
                                  (Edit(name, "version_override"),))
                yield Finding(
                    path,
                    getattr(a.value, "span", call.span),
                    f"flyte.Cache has no keyword `{a.keyword}`{hint}; TypeError at import",
                    fix=fix,
                )
