"""What the docs extensions share: the ``flytec-graph`` fenced blocks of a Markdown page and
the one-line errors of :func:`flytec.docs_ext.draw.draw`."""

from __future__ import annotations

import pytest

from flytec.docs_ext.draw import DrawError, draw, split_target
from flytec.docs_ext.fences import find_blocks
from tests.conftest import EXAMPLES


def lines(text: str) -> list[str]:
    return text.split("\n")


def test_blocks_with_their_target_options_and_lines() -> None:
    page = lines("# T\n\n```flytec-graph\na.py::main\nformat: mermaid\n:detail: full\n```\n"
                 "\n~~~~ flytec-graph \n  b.py\ncaption: A: b\n~~~~\n")
    first, second = find_blocks(page)
    assert (first.line, first.start, first.end, first.target) == (3, 2, 6, "a.py::main")
    assert first.options == {"format": "mermaid", "detail": "full"}
    assert (second.line, second.target, second.options) == (9, "b.py", {"caption": "A: b"})
    assert not first.problems and not second.problems


def test_blocks_inside_other_code_blocks_are_left_alone() -> None:
    page = lines("````md\n```flytec-graph\nx.py\n```\n````\n\n  ```flytec-graph\n  y.py\n"
                 "  ```\n")
    (block,) = find_blocks(page)
    assert (block.target, block.indent, block.line) == ("y.py", "  ", 7)


def test_problems_name_their_line() -> None:
    (bad,) = find_blocks(lines("```flytec-graph\nx.py\ncolour: red\njust words\n```"))
    assert bad.problems == [
        (3, "unknown option `colour` (options: format, detail, caption)"),
        (4, "`just words` is not an option line (write `option: value`; options: "
            "format, detail, caption)"),
    ]
    (empty,) = find_blocks(lines("text\n```flytec-graph\n\n```"))
    assert empty.problems and empty.problems[0][0] == 2
    (open_,) = find_blocks(lines("```flytec-graph\nx.py\n"))
    assert open_.problems == [(1, "this block has no closing fence (end it with ```)")]


@pytest.mark.parametrize(("target", "message"), [
    ("", "no path given"),
    ("::main", "no path before `::`"),
    ("etl.py::", "no task after `::`"),
])
def test_targets_that_name_nothing(target: str, message: str) -> None:
    with pytest.raises(DrawError, match=message):
        split_target(target)


def test_unknown_format_and_detail() -> None:
    with pytest.raises(DrawError, match="unknown format `png`"):
        draw("etl.py::main", EXAMPLES, fmt="png")
    with pytest.raises(DrawError, match="unknown detail `all`"):
        draw("etl.py::main", EXAMPLES, detail="all")


def test_an_internal_error_is_a_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import flytec.codegen.graph.select as select

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(select, "graph_view", broken)
    with pytest.raises(DrawError, match=r"internal error \(RuntimeError: boom\)"):
        draw("etl.py::main", EXAMPLES)


def test_the_picture_depends_on_every_file_it_was_drawn_from() -> None:
    drawing = draw("pipelines/workflow.py::main", EXAMPLES)
    names = {p.relative_to(EXAMPLES.parent).as_posix() for p in drawing.sources}
    assert {"examples/pipelines/workflow.py", "examples/pipelines/tasks.py",
            "examples/pipelines/envs.py"} <= names
    assert drawing.html.startswith('<svg class="flytec-graph-svg"')
