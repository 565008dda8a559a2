"""The notebook reader: code cells to one module, IPython syntax neutralised line for line,
the line map back to cells, the kernel language read from the end of the file."""

from __future__ import annotations

import json

import pytest

from flytec.compiler.frontend.notebook import (
    Notebook,
    NotebookError,
    _neutralise,
    build_module,
    kernel_language,
    parse_notebook,
    read_notebook,
)
from flytec.model.diagnostic import Category, Diagnostic, Severity
from flytec.model.notebook import CellLines, CellMap
from flytec.model.span import Span
from tests.notebooks.nbwrite import notebook


def _bytes(doc: object, **kw: object) -> bytes:
    return json.dumps(doc, **kw).encode()  # type: ignore[arg-type]


@pytest.mark.parametrize(("line", "becomes"), [
    ("%pip install flyte", "pass"),
    ("!ls -la", "pass"),
    ("main?", "pass"),
    ("??main", "pass"),
    ("flyte.run?", "pass"),
    ("files = !ls", "files = ..."),
    ("a, b = %sx echo 1", "a, b = ..."),
    ("    !echo indented", "    pass"),
    ("x = 1 % 2", "x = 1 % 2"),
    ("print('why?')", "print('why?')"),
])
def test_line_escapes(line: str, becomes: str) -> None:
    assert _neutralise([line]) == [becomes]


def test_escapes_only_where_a_statement_starts() -> None:
    lines = [
        'doc = """',
        "%not a magic: inside a string",
        '"""',
        "total = (1",
        "         % 2)",
        "x = 1 + \\",
        "    2",
        "!echo \\",
        "  continued",
        "y = 3",
    ]
    assert _neutralise(lines) == [*lines[:7], "pass", "", "y = 3"]


def test_cell_magics() -> None:
    assert _neutralise(["%%bash", "echo ((", "ls"]) == ["", "", ""]
    assert _neutralise(["%%time", "n = len('abc')", "!ls"]) == ["", "n = len('abc')", "pass"]
    assert _neutralise(["", "%%writefile x.txt", "text"]) == ["", "", ""]


def test_cells_become_one_module_with_a_line_map() -> None:
    nb = Notebook(cells=[(2, "import flyte\n"), (3, ""), (5, "x = 1\n\ny = 2\n"), (6, "z = 3")])
    built = build_module(nb)
    assert built.source == "import flyte\nx = 1\n\ny = 2\nz = 3\n"
    assert built.cells.cells == (CellLines(2, 1, 1), CellLines(5, 2, 4), CellLines(6, 5, 5))
    assert [built.cells.locate(n) for n in range(1, 7)] == [
        (2, 1), (5, 1), (5, 2), (5, 3), (6, 1), None]
    assert built.cells.module_line(5, 3) == 4
    assert built.problems == []


def test_a_cell_that_does_not_parse_is_left_out_and_reported() -> None:
    nb = Notebook(cells=[(1, "a = 1\n"), (2, "b = 2\ndef broken(:\n"), (3, "c = 3\n")])
    built = build_module(nb)
    assert built.source == "a = 1\n\n\nc = 3\n"  # its lines kept, blank
    (p,) = built.problems
    assert p.kind == "syntax" and p.span.line == 3  # module line 3: cell 2, line 2
    assert built.cells.locate(p.span.line) == (2, 2)


def test_top_level_await_parses() -> None:  # Jupyter runs it (autoawait)
    ir = parse_notebook(_bytes(notebook([("code", "import flyte\nr = await flyte.run.aio(f)\n")])),
                        "n.ipynb", "n", False)
    assert ir.problems == []


def test_spans_map_into_cells() -> None:
    cells = CellMap((CellLines(3, 1, 2), CellLines(4, 3, 6)))
    assert cells.span(Span(4, 5, 4, 9)) == (4, Span(2, 5, 2, 9))
    assert cells.span(Span(2, 1, 3, 4)) == (3, Span(2, 1, 2, 2))  # cut at its cell's end
    d = Diagnostic("FLY103", "x", Category.STRUCTURE, Severity.ERROR, "n.ipynb",
                   Span(5, 5, 5, 13), "m")
    got = cells.diagnostic(d)
    assert (got.cell, got.span, got.location) == (4, Span(3, 5, 3, 13), "n.ipynb:cell 4:3:5")
    assert cells.diagnostic(got) == got  # located once


def test_cells_count_markdown_cells_too() -> None:
    doc = notebook([("markdown", "# title\n"), ("raw", "raw\n"), ("code", "x = 1\n")])
    nb = read_notebook(_bytes(doc))
    assert nb.cells == [(3, "x = 1\n")]


def test_source_as_one_string() -> None:
    doc = notebook([("code", "")])
    doc["cells"][0]["source"] = "a = 1\nb = 2"
    assert read_notebook(_bytes(doc)).cells == [(1, "a = 1\nb = 2")]


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "notebook is not valid JSON: Expecting property name enclosed in double "
                   "quotes"),
    (b"[1, 2]", "notebook is not a JSON object"),
    (b'{"nbformat": 3, "worksheets": []}', "notebook format 3 is not supported"),
    (b'{"nbformat": 4}', "notebook has no `cells` list"),
])
def test_not_a_notebook(data: bytes, message: str) -> None:
    with pytest.raises(NotebookError, match=message.replace("`", ".")):
        read_notebook(data)


def test_not_a_notebook_is_a_syntax_problem_at_the_json_line() -> None:
    ir = parse_notebook(b'{\n "cells": [\n  oops\n ]\n}\n', "n.ipynb", "n", False)
    (p,) = ir.problems
    assert (p.kind, p.span.line, p.span.column) == ("syntax", 3, 3)
    assert ir.notebook is None  # the diagnostic is at the file's line, not in a cell


def test_kernel_language_from_the_end_of_the_file() -> None:
    r = notebook([("code", "x <- 1\n")], language="R",
                 kernel={"display_name": "R", "language": "R", "name": "ir"})
    assert kernel_language(_bytes(r, indent=1, sort_keys=True)) == "R"
    # written with unsorted keys (metadata first): the whole file is read
    unsorted = {"metadata": r["metadata"], "cells": r["cells"], "nbformat": 4}
    assert kernel_language(_bytes(unsorted)) == "R"
    # a cell's metadata named last in a notebook without top-level metadata
    no_meta = {"cells": [{"cell_type": "code", "source": [], "metadata": {}}], "nbformat": 4}
    assert kernel_language(_bytes(no_meta)) == "python"
    assert kernel_language(_bytes(notebook([("code", "x = 1\n")]))) == "python"
    assert kernel_language(b"not json") == "python"


def test_lines_named_in_messages_map_into_cells() -> None:
    cells = CellMap((CellLines(2, 1, 3), CellLines(4, 4, 9)))
    d = Diagnostic("FLY301", "x", Category.NONDETERMINISM, Severity.WARNING, "n.ipynb",
                   Span(5, 1, 5, 4), "reaches task `t` (line 8); see n.ipynb:2 and x.py:8",
                   help="called at line 40", chain=("it reaches `t` (line 3)",))
    got = cells.diagnostic(d)
    assert got.message == "reaches task `t` (cell 4, line 5); see n.ipynb:cell 2:2 and x.py:8"
    assert got.help == "called at line 40"  # no cell holds module line 40: left as it is
    assert got.chain == ("it reaches `t` (cell 2, line 3)",)
