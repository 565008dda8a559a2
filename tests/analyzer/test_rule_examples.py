"""Every rule's own bad example triggers it; its good example does not (Fixit-style)."""

from __future__ import annotations

import textwrap

import pytest

from flytec.analyzer.registry import Rule, all_rules
from tests.conftest import CheckFn

# FLY000 cannot be triggered from source; the mypy-based rules (FLY210-219) run their own
# examples with mypy in tests/types/.
RULES = [r for r in all_rules() if r.code != "FLY000" and not r.requires_types]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_bad_example_is_flagged(rule: type[Rule], check: CheckFn) -> None:
    result = check(rule.bad)
    found = [d for d in result.diagnostics if d.code == rule.code]
    assert found, f"{rule.code} did not fire on its bad example: {result.diagnostics}"
    for d in found:
        assert d.name == rule.name and d.category == rule.category
        assert d.span.line >= 1 and d.span.column >= 1
        assert d.message and d.help


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.code}-{r.name}")
def test_good_example_is_clean(rule: type[Rule], check: CheckFn) -> None:
    result = check(rule.good)
    assert [d for d in result.diagnostics if d.code == rule.code] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_suppression_comment_silences_the_rule(rule: type[Rule], check: CheckFn) -> None:
    result = check(rule.bad)
    found = [d for d in result.diagnostics if d.code == rule.code]
    if not found or rule.category.value == "syntax":
        pytest.skip("file-level problems are suppressed with ignore-file")
    bad = rule.bad if isinstance(rule.bad, str) else next(iter(rule.bad.values()))
    lines = textwrap.dedent(bad).split("\n")
    for d in found:
        i = d.span.line - 1
        lines[i] = lines[i] + f"  # flytec: ignore[{rule.code}]"
    again = check("\n".join(lines))
    assert [d for d in again.diagnostics if d.code == rule.code] == []


def test_codes_are_unique_and_well_formed() -> None:
    import re

    names = set()
    for r in all_rules():
        assert re.fullmatch(r"FLY\d{3}", r.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name)
        assert r.name not in names
        names.add(r.name)
        assert r.summary and r.why and r.fix
