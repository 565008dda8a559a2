"""`flytec check --fix` on notebooks: fixes are edits of the code cells, written back into the
notebook's JSON with every other byte kept (outputs, metadata, key order, indentation), never
touching a neutralised magic line; a second `--fix` changes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.analyzer.fix import blocked, wanted
from flytec.cli import cli
from flytec.compiler.frontend.notebook_edit import replace_sources, source_spans
from flytec.model.diagnostic import Category, Diagnostic, Severity
from flytec.model.fix import Edit, Fix
from flytec.model.notebook import CellLines, CellMap
from flytec.model.span import Span
from tests.conftest import write_project
from tests.notebooks.nbwrite import notebook

SETUP = """%pip install flyte
import flyte
from datetime import datetime

env = flyte.TaskEnvironment(name="nb")"""
TASK = """@env.task
async def double(x: int) -> int:
    return 2 * x"""
DRIVER = """!ls data
@env.task
async def main(x: int) -> int:
    double(x)
    %time y = 1
    day = datetime.now().strftime("%Y-%m-%d")
    return await double(len(day))"""
OUTPUTS = {4: [{"output_type": "stream", "name": "stdout", "text": ["é" * 2000 + "\n"]},
               {"output_type": "display_data", "metadata": {},
                "data": {"image/png": "iVBORw0KGgo" * 500}}]}
CELLS = [("markdown", "# A flow\n"), ("code", SETUP), ("code", TASK), ("code", DRIVER)]


def dump(doc: object, indent: int | None = 1, ascii_only: bool = False) -> str:
    return json.dumps(doc, indent=indent, sort_keys=True, ensure_ascii=ascii_only) + "\n"


def run(cwd: Path, *args: str) -> Result:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["check", *args, "--no-cache"], catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n"})
    return tmp_path


def expected(text: str, old: str, new: str) -> str:
    """``text`` with one JSON-encoded source line replaced (it must be there once)."""
    a, b = json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)
    assert text.count(a) == 1, a
    return text.replace(a, b)


@pytest.mark.parametrize("indent", [1, 2, 4])
def test_fix_awaits_the_call_and_keeps_every_other_byte(project: Path, indent: int) -> None:
    nb = project / "flow.ipynb"
    original = dump(notebook(CELLS, outputs=OUTPUTS), indent)
    nb.write_text(original, encoding="utf-8")
    r = run(project, "flow.ipynb", "--fix", "--select", "FLY103")
    assert r.exit_code == 0, r.output
    assert "fixed 1 finding in 1 file; 0 remaining" in r.output
    fixed = nb.read_text(encoding="utf-8")
    # only the one line of the driver cell changed; outputs, magics, indentation kept
    assert fixed == expected(original, "    double(x)\n", "    await double(x)\n")
    again = run(project, "flow.ipynb", "--fix", "--select", "FLY103")
    assert "fixed 0 findings in 0 files; 0 remaining" in again.output, again.output
    assert nb.read_text(encoding="utf-8") == fixed  # idempotent


def test_fix_adds_the_import_to_the_cell_of_the_imports(project: Path) -> None:
    nb = project / "flow.ipynb"
    original = dump(notebook(CELLS, outputs=OUTPUTS))
    nb.write_text(original, encoding="utf-8")
    r = run(project, "flow.ipynb", "--fix")
    assert r.exit_code == 0, r.output
    assert "fixed 2 findings in 1 file; 0 remaining" in r.output, r.output
    doc = json.loads(nb.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in doc["cells"]]
    assert sources[1] == SETUP.replace("from datetime import datetime",
                                       "from datetime import datetime\nimport flyte.durable")
    assert sources[2] == TASK
    assert sources[3] == DRIVER.replace("    double(x)", "    await double(x)").replace(
        "datetime.now()", "(await flyte.durable.now.aio())")
    assert sources[3].splitlines()[0] == "!ls data"  # the magics are as they were
    assert "    %time y = 1" in sources[3].splitlines()
    assert doc["cells"][3]["outputs"] == OUTPUTS[4]
    assert not sources[1].endswith("\n")  # a cell's last line keeps having no newline
    assert run(project, "flow.ipynb").exit_code == 0


def test_diff_shows_what_fix_writes(project: Path) -> None:
    nb = project / "flow.ipynb"
    original = dump(notebook(CELLS))
    nb.write_text(original, encoding="utf-8")
    r = run(project, "flow.ipynb", "--diff", "--select", "FLY103")
    assert r.exit_code == 1
    assert '-    "    double(x)\\n",' in r.output
    assert '+    "    await double(x)\\n",' in r.output
    assert nb.read_text(encoding="utf-8") == original


def test_string_sources_and_escaped_text_stay_as_written(project: Path) -> None:
    doc = notebook(CELLS)
    for c in doc["cells"]:
        c["source"] = "".join(c["source"])  # a string, as some tools write it
    doc["cells"][0]["source"] = "# Ünïcode"
    nb = project / "flow.ipynb"
    original = dump(doc, 2, ascii_only=True)
    nb.write_text(original, encoding="utf-8")
    assert run(project, "flow.ipynb", "--fix", "--select", "FLY103").exit_code == 0
    a = json.dumps(DRIVER)
    b = json.dumps(DRIVER.replace("    double(x)", "    await double(x)"))
    assert nb.read_text(encoding="utf-8") == original.replace(a, b)


def test_json_output_gives_the_fix_in_cell_coordinates(project: Path) -> None:
    (project / "flow.ipynb").write_text(dump(notebook(CELLS)), encoding="utf-8")
    r = run(project, "flow.ipynb", "--format", "json", "--select", "FLY103")
    (d,) = json.loads(r.output)["diagnostics"]
    assert (d["cell"], d["line"], d["column"]) == (4, 4, 5)
    assert d["fix"]["edits"] == [{"content": "await ", "cell": 4,
                                  "location": {"line": 4, "column": 5},
                                  "end_location": {"line": 4, "column": 5}}]


# ----------------------------------------------------------------- the cell map's rules

MAP = CellMap((CellLines(2, 1, 3), CellLines(4, 4, 6)), magics=frozenset({5}))


def test_edits_move_into_their_cell() -> None:
    fix = MAP.fix(Fix("f", (Edit(Span(6, 2, 6, 4), "x"), Edit.insert(4, 1, "import y\n"))))
    assert fix.blocked is None
    assert fix.edits == (Edit(Span(3, 2, 3, 4), "x", 4), Edit(Span(1, 1, 1, 1), "import y\n", 4))
    whole = MAP.fix(Fix("f", (Edit(Span(2, 1, 4, 1), ""),)))  # lines 2-3, newline included
    assert whole.edits == (Edit(Span(2, 1, 4, 1), "", 2),)


@pytest.mark.parametrize(("span", "why"), [
    (Span(3, 1, 4, 2), "cross a cell boundary"),
    (Span(5, 3, 5, 3), "IPython magic line"),  # an insertion inside the magic
    (Span(4, 1, 6, 1), "IPython magic line"),  # a range over it
])
def test_fixes_crossing_cells_or_changing_magics_are_blocked(span: Span, why: str) -> None:
    fix = MAP.fix(Fix("f", (Edit(span, "z"),)))
    assert fix.blocked is not None and why in fix.blocked
    assert MAP.fix(Fix("f", (Edit.insert(5, 1, "a = 1\n"),))).blocked is None  # before it


def test_blocked_fixes_are_reported_not_applied() -> None:
    d = Diagnostic(code="FLY103", name="n", category=Category.STRUCTURE,
                   severity=Severity.ERROR, path="flow.ipynb", span=Span(4, 5, 4, 6),
                   message="m", cell=4,
                   fix=Fix("f", (), blocked="it would cross a cell boundary"))
    assert not wanted(d, unsafe=True)
    assert blocked([d], unsafe=False) == [
        "flow.ipynb:cell 4:4:5: the FLY103 fix was not applied: it would cross a cell boundary"]


def test_source_spans_and_replace_keep_the_rest() -> None:
    text = dump(notebook(CELLS, outputs=OUTPUTS))
    spans = source_spans(text)
    assert sorted(spans) == [1, 2, 3, 4]
    assert json.loads(text[slice(*spans[3])]) == TASK.splitlines(keepends=True)
    new = replace_sources(text.encode(), {3: "x = 1\n", 2: ""}).decode()
    doc = json.loads(text)
    doc["cells"][1]["source"], doc["cells"][2]["source"] = [], ["x = 1\n"]
    assert new == dump(doc)  # as nbformat would write it
    empty = dump(notebook([("code", "")]))
    assert replace_sources(empty.encode(), {1: "a\nb"}).decode() == dump(
        notebook([("code", "a\nb")]))


def test_show_fixes_and_standard_input(project: Path) -> None:
    original = dump(notebook(CELLS))
    (project / "flow.ipynb").write_text(original, encoding="utf-8")
    r = run(project, "flow.ipynb", "--show-fixes", "--select", "FLY103")
    assert "  flow.ipynb:cell 4:4:5: FLY103 [safe] await `double(x)`" in r.output, r.output
    old = os.getcwd()
    os.chdir(project)
    try:  # an editor piping the notebook: the fixed notebook comes back on standard output
        piped = CliRunner().invoke(cli, ["check", "-", "--stdin-filename", "flow.ipynb",
                                         "--fix", "--select", "FLY103", "--no-cache"],
                                   input=original, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert piped.stdout.startswith(expected(original, "    double(x)\n",
                                            "    await double(x)\n")), piped.stdout[:300]
    assert (project / "flow.ipynb").read_text(encoding="utf-8") == original


def test_insertion_points_of_imports() -> None:
    cells = CellMap((CellLines(2, 1, 3), CellLines(4, 4, 6)), magics=frozenset({1}))
    assert cells.insertion_point(4) == (2, 4)  # after cell 2's last line, not atop cell 4
    assert cells.insertion_point(3) == (2, 3)
    assert cells.insertion_point(1) is None  # above the magic that starts cell 2
    plain = CellMap((CellLines(2, 1, 3),))
    assert plain.insertion_point(1) == (2, 1)


HEAD = "import flyte\n\nenv = flyte.TaskEnvironment(name='nb')"
HANDLER = """@env.task
async def main(x: int) -> int:
    try:
        return await double(x)
    except ValueError:
{magic}        return 0"""
OTHER = "@env.task\nasync def other(x: int) -> int:\n    return x"


def test_a_fix_ending_its_cell_stays_in_it(project: Path) -> None:
    """FLY108's unsafe fix appends `raise` after the handler: at the end of the handler's
    cell, not atop the next one."""
    nb = project / "flow.ipynb"
    cells = [("code", HEAD), ("code", TASK), ("code", HANDLER.format(magic="")),
             ("code", OTHER)]
    nb.write_text(dump(notebook(cells)), encoding="utf-8")
    r = run(project, "flow.ipynb", "--fix", "--unsafe-fixes")
    assert "fixed 1 finding in 1 file; 0 remaining" in r.output, r.output
    sources = ["".join(c["source"]) for c in json.loads(nb.read_text())["cells"]]
    assert sources[0] == HEAD.replace("import flyte\n", "import flyte\nimport flyte.errors\n")
    assert sources[2].endswith('        if e.code == "ValueError":\n            return 0\n'
                               "        raise"), sources[2]
    assert sources[3] == OTHER


def test_a_fix_changing_a_magic_is_reported_as_skipped(project: Path) -> None:
    """The same fix would indent a shell escape of the handler: not applied, and said."""
    nb = project / "flow.ipynb"
    cells = [("code", HEAD), ("code", TASK),
             ("code", HANDLER.format(magic="        !echo failed\n"))]
    original = dump(notebook(cells))
    nb.write_text(original, encoding="utf-8")
    r = run(project, "flow.ipynb", "--fix", "--unsafe-fixes")
    assert ("flytec: flow.ipynb:cell 3:5:12: the FLY108 fix was not applied: it would change"
            " an IPython magic line") in r.output, r.output
    assert "fixed 0 findings in 0 files; 1 remaining" in r.output
    assert nb.read_text(encoding="utf-8") == original
    out = json.loads(run(project, "flow.ipynb", "--format", "json").output)
    assert [d["fix"] for d in out["diagnostics"]] == [None]  # not offered either


def test_insertions_at_a_cell_boundary_go_to_the_findings_cell() -> None:
    at_boundary = Fix("f", (Edit.insert(4, 1, "raise\n"),))
    assert MAP.fix(at_boundary, home=2).edits == (Edit(Span(4, 1, 4, 1), "raise\n", 2),)
    assert MAP.fix(at_boundary, home=4).edits == (Edit(Span(1, 1, 1, 1), "raise\n", 4),)
    past_the_end = Fix("f", (Edit.insert(7, 1, "raise\n"),))
    assert MAP.fix(past_the_end).edits == (Edit(Span(4, 1, 4, 1), "raise\n", 4),)
    indent = MAP.fix(Fix("f", (Edit.insert(5, 1, "    "),)))  # would re-indent the magic
    assert indent.blocked is not None and "magic" in indent.blocked


def test_windows_line_breaks_in_the_json_are_kept() -> None:
    crlf = dump(notebook([("code", "a = 1\nb = 2"), ("code", "")])).replace("\n", "\r\n")
    new = replace_sources(crlf.encode(), {1: "a = 1\nb = 3", 2: "c = 1"}).decode()
    assert new == dump(notebook([("code", "a = 1\nb = 3"), ("code", "c = 1")])).replace(
        "\n", "\r\n")
