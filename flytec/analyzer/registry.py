"""The rule registry: every rule is a class with its metadata, docs and examples.

A rule lives in one file under ``flytec/analyzer/rules/<category>/``, named for what it
checks. Its class carries everything about it: code (``FLY`` + 3 digits), kebab-case name,
category, default severity, a one-line summary, *why* it matters in Flyte 2, *how to fix* it,
and a bad and a good example. The examples are run as tests (the bad one must trigger the
rule, the good one must not), and ``docs/rules/<CODE>.md`` is generated from them, so code,
docs and tests cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from flytec.model.diagnostic import Category, RelatedLocation, Severity
from flytec.model.fix import Applicability, Fix, Safety
from flytec.model.span import Span

if TYPE_CHECKING:
    from flytec.analyzer.context import RuleContext


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports; the engine turns it into a Diagnostic."""

    path: str
    span: Span
    message: str
    help: str | None = None  # defaults to the rule's fix
    task: str | None = None
    chain: tuple[str, ...] = ()
    severity: Severity | None = None  # overrides the rule's default for this finding
    fix: Fix | None = None  # the edits that repair it (``flytec check --fix``)
    related: tuple[RelatedLocation, ...] = ()  # other places of the same problem


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    why: ClassVar[str]
    fix: ClassVar[str]
    bad: ClassVar[str | dict[str, str]]
    good: ClassVar[str | dict[str, str]]
    requires_types: ClassVar[bool] = False  # findings come from mypy (`--types`)
    details: ClassVar[str] = ""  # more about what is reported (docs only)
    # ``flytec check --fix``: how often findings carry a fix, and how safe its fixes are
    # (both, for a rule with a safe fix for some findings and an unsafe one for others).
    # The fix of ``bad`` gives ``good`` exactly, or ``fixed`` when that is set (a documented
    # variant: ``good`` shows the idiomatic rewrite, ``fixed`` what the codemod writes).
    fix_applicability: ClassVar[Applicability] = Applicability.NEVER
    fix_safety: ClassVar[tuple[Safety, ...]] = (Safety.SAFE,)
    fixed: ClassVar[str | dict[str, str] | None] = None
    fix_details: ClassVar[str] = ""  # what the fix writes, and when (docs only)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def fixable(cls) -> bool:
        return cls.fix_applicability is not Applicability.NEVER

    @classmethod
    def fix_label(cls) -> str:
        """``"safe, always"``, ``"unsafe, sometimes"``, ``"safe or unsafe, sometimes"`` or
        ``"none"``."""
        if not cls.fixable():
            return "none"
        safety = " or ".join(s.value for s in cls.fix_safety)
        return f"{safety}, {cls.fix_applicability.value}"

    @classmethod
    def doc_path(cls) -> str:
        return f"docs/rules/{cls.code}.md"


_RULES: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to the registry."""
    if cls.code in _RULES and _RULES[cls.code] is not cls:
        raise ValueError(f"duplicate rule code {cls.code}")
    _RULES[cls.code] = cls
    return cls


def all_rules() -> list[type[Rule]]:
    import flytec.analyzer.rules  # noqa: F401  (registers the rules)

    return [_RULES[c] for c in sorted(_RULES)]


def get_rule(code_or_name: str) -> type[Rule] | None:
    for r in all_rules():
        if code_or_name in (r.code, r.name):
            return r
    return None


def iter_codes() -> Iterator[str]:
    return (r.code for r in all_rules())
