"""The rule table is complete, its examples do what they say, and each code has a docs page."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytec.analyzer.types import RULES_BY_CODE, TYPE_RULES, TypeCheckOptions, check_types
from flytec.model.diagnostic import Category, Severity

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_codes_and_names() -> None:
    assert [r.code for r in TYPE_RULES] == [f"FLY2{n}" for n in range(10, 20)]
    assert [r.name for r in TYPE_RULES] == [
        "task-argument-type",
        "task-unknown-keyword",
        "task-missing-argument",
        "task-result-type",
        "await-sync-task",
        "missing-await",
        "tuple-output-unpack",
        "map-element-type",
        "gather-result-type",
        "mypy-error",
    ]
    for r in TYPE_RULES:
        assert r.category is Category.TYPE
        assert r.severity is (Severity.INFO if r.code == "FLY219" else Severity.ERROR)
        assert r.summary and r.why and r.fix and r.bad and r.good
        assert RULES_BY_CODE[r.code] is r


@pytest.mark.parametrize("rule", TYPE_RULES, ids=lambda r: r.code)
def test_docs_page(rule: object) -> None:
    from flytec.analyzer.types import TypeRule

    assert isinstance(rule, TypeRule)
    page = (DOCS / f"{rule.code}.md").read_text()
    assert page.splitlines()[0] == f"# {rule.code} {rule.name}"
    for heading in (
        "## What it does",
        "## Why it matters",
        "## Bad",
        "## Good",
        "## How to suppress",
    ):
        assert heading in page
    assert rule.bad.rstrip() in page and rule.good.rstrip() in page
    assert f"# flytec: ignore[{rule.code}]" in page and f"# noqa: {rule.code}" in page


def test_bad_examples_fire_and_good_examples_do_not(tmp_path: Path, mypy_cache: Path) -> None:
    files: list[Path] = []
    for r in TYPE_RULES:
        for kind, code in (("bad", r.bad), ("good", r.good)):
            path = tmp_path / f"{kind}_{r.code.lower()}.py"
            path.write_text(code)
            files.append(path)
    result = check_types(
        files,
        tmp_path,
        TypeCheckOptions(stubs="always", show_other=True, mypy_cache_dir=mypy_cache),
    )
    found: dict[str, set[str]] = {}
    for d in result.diagnostics:
        if d.code == "FLY219" and "empty-body" in d.message:
            continue  # the examples' task bodies are `...`
        found.setdefault(d.path, set()).add(d.code)
    for r in TYPE_RULES:
        assert r.code in found.get(f"bad_{r.code.lower()}.py", set()), r.code
        assert found.get(f"good_{r.code.lower()}.py", set()) == set(), r.code
