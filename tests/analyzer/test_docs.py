"""docs/rules is generated from the rule classes and must stay in sync."""

from __future__ import annotations

from flytec.analyzer.docs import expected_docs
from tests.conftest import REPO


def test_rule_docs_are_up_to_date() -> None:
    stale = []
    for name, text in expected_docs().items():
        p = REPO / "docs" / "rules" / name
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            stale.append(name)
    assert not stale, f"run `flytec rules --write-docs docs/rules`; stale: {stale}"


def test_every_rule_page_names_its_code() -> None:
    for name, text in expected_docs().items():
        if name != "README.md":
            assert text.splitlines()[1].startswith(f"# {name[:-3]} ")
