"""docs/graphs/ shows the examples' graphs as flytec draws them today.

When this fails, regenerate with ``python -m tests.compiler.docs_graphs`` and look at the
pictures before committing them.
"""

from __future__ import annotations

from tests.compiler.docs_graphs import DOCS, FULL, WORKFLOWS, expected_texts
from tests.compiler.helpers import REPO


def test_docs_graphs_are_in_sync() -> None:
    stale = []
    for name, text in expected_texts().items():
        path = DOCS / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    assert not stale, (
        f"docs/graphs is out of date for {stale}: run `python -m tests.compiler.docs_graphs`")


def test_docs_graphs_have_pictures_and_a_page() -> None:
    page = (REPO / "docs" / "graphs.md").read_text(encoding="utf-8")
    for stem in [s for s, _ in [*WORKFLOWS, *FULL]] + ["callgraph"]:
        for ext in ("svg", "png"):
            assert (DOCS / f"{stem}.{ext}").stat().st_size > 0
        assert f"graphs/{stem}.png" in page or f"graphs/{stem}.svg" in page, stem
