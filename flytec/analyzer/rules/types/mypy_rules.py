"""FLY210-FLY219: the mypy-based checks of ``--types``, registered as rules.

Their findings come from mypy through :mod:`flytec.analyzer.types_bridge`, not from
``check``; the metadata (docs, examples) lives in :mod:`flytec.analyzer.types.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flytec.analyzer.context import RuleContext
from flytec.analyzer.registry import Finding, Rule, register
from flytec.analyzer.types.details import DETAILS
from flytec.analyzer.types.rules import TYPE_RULES


class MypyRule(Rule):
    """A rule whose findings mypy produces (``flytec check --types``)."""

    requires_types = True

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()


for _meta in TYPE_RULES:
    register(
        type(
            f"Mypy{_meta.code}",
            (MypyRule,),
            {
                "code": _meta.code,
                "name": _meta.name,
                "category": _meta.category,
                "severity": _meta.severity,
                "summary": _meta.summary,
                "why": _meta.why,
                "fix": _meta.fix,
                "bad": _meta.bad,
                "good": _meta.good,
                "details": DETAILS.get(_meta.code, ""),
                "__doc__": f"{_meta.code} {_meta.name}: {_meta.summary}",
            },
        )
    )
