"""Notebook documents over stdio (`notebookDocument/*` sync, pygls's client): the code cells
of an unsaved notebook are checked as one module, each finding is published to its cell's
document with a range inside the cell, "suppress on this line" is an edit of the cell, and
editing a cell re-checks the notebook; quick fixes and "fix all" edit the cells' documents,
hover and go to definition work from a cell (to a task in another cell or in a module)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp

from tests.conftest import write_project
from tests.lsp.test_lsp_stdio import Client, apply_edit, run

SETUP = """import flyte

env = flyte.TaskEnvironment(name="nb")


@env.task
async def double(x: int) -> int:
    return 2 * x
"""
DRIVER = """@env.task
async def main(x: int) -> int:
    double(x)
    return x
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n"})
    return tmp_path


def test_notebook_cells_get_their_findings(project: Path) -> None:
    nb = project / "flow.ipynb"  # never saved: the editor's notebook only
    cells = [(lsp.NotebookCellKind.Markup, "markdown", "# A flow\n"),
             (lsp.NotebookCellKind.Code, "python", SETUP),
             (lsp.NotebookCellKind.Code, "python", DRIVER)]
    uris = [f"vscode-notebook-cell:{nb}#cell{i}" for i in range(len(cells))]
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        setup, driver = c.next_diagnostics(uris[1]), c.next_diagnostics(uris[2])
        c.lc.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
            notebook_document=lsp.NotebookDocument(
                uri=nb.as_uri(), notebook_type="jupyter-notebook", version=1,
                cells=[lsp.NotebookCell(kind=k, document=u)
                       for (k, _, _), u in zip(cells, uris)]),
            cell_text_documents=[lsp.TextDocumentItem(uri=u, language_id=lang, version=1,
                                                      text=text)
                                 for (_, lang, text), u in zip(cells, uris)]))
        seen["setup"] = await asyncio.wait_for(setup, 60)
        seen["driver"] = await asyncio.wait_for(driver, 60)
        seen["actions"] = actions = await c.lc.text_document_code_action_async(
            lsp.CodeActionParams(text_document=lsp.TextDocumentIdentifier(uris[2]),
                                 range=seen["driver"][0].range,
                                 context=lsp.CodeActionContext(diagnostics=seen["driver"])))
        (suppress,) = [a for a in actions if a.title == "Suppress FLY103 on this line"]
        (edit,) = suppress.edit.changes[uris[2]]  # in the cell
        seen["edit"] = edit
        suppressed = c.next_diagnostics(uris[2])
        c.lc.notebook_document_did_change(lsp.DidChangeNotebookDocumentParams(
            notebook_document=lsp.VersionedNotebookDocumentIdentifier(version=2,
                                                                     uri=nb.as_uri()),
            change=lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(
                text_content=[lsp.NotebookDocumentCellContentChanges(
                    document=lsp.VersionedTextDocumentIdentifier(uri=uris[2], version=2),
                    changes=[lsp.TextDocumentContentChangePartial(
                        range=edit.range, text=edit.new_text)])]))))
        seen["suppressed"] = await asyncio.wait_for(suppressed, 60)
        again = c.next_diagnostics(uris[2])  # the cell replaced: the comment gone
        c.lc.notebook_document_did_change(lsp.DidChangeNotebookDocumentParams(
            notebook_document=lsp.VersionedNotebookDocumentIdentifier(version=3,
                                                                     uri=nb.as_uri()),
            change=lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(
                text_content=[lsp.NotebookDocumentCellContentChanges(
                    document=lsp.VersionedTextDocumentIdentifier(uri=uris[2], version=3),
                    changes=[lsp.TextDocumentContentChangeWholeDocument(text=DRIVER)])]))))
        seen["again"] = await asyncio.wait_for(again, 60)
        closed = c.next_diagnostics(uris[2])
        c.lc.notebook_document_did_close(lsp.DidCloseNotebookDocumentParams(
            notebook_document=lsp.NotebookDocumentIdentifier(uri=nb.as_uri()),
            cell_text_documents=[lsp.TextDocumentIdentifier(uri=u) for u in uris]))
        seen["closed"] = await asyncio.wait_for(closed, 60)

    c = run(project, body)
    assert list(seen["setup"]) == []
    (d,) = seen["driver"]
    assert d.code == "FLY103"
    line = DRIVER.splitlines().index("    double(x)")
    assert d.range.start == lsp.Position(line, 4), d.range  # inside the cell, 0-based
    titles = [a.title for a in seen["actions"]]
    assert titles == ["flytec (FLY103): await `double(x)`", "Suppress FLY103 on this line",
                      "Suppress FLY103 in this file",
                      "flytec: fix all safe fixes in this file"], titles
    assert apply_edit(DRIVER, seen["edit"]) == DRIVER.replace(
        "    double(x)\n", "    double(x)  # noqa: FLY103\n")
    assert list(seen["suppressed"]) == []  # the comment in the cell suppresses it
    assert [x.code for x in seen["again"]] == ["FLY103"]
    assert list(seen["closed"]) == []
    assert not nb.exists()  # nothing was written
    assert not [m for m in c.logs if "failed" in m], c.logs


CELL_SETUP = """import flyte
from datetime import datetime

from pkg.tasks import lib, triple

env = flyte.TaskEnvironment(name="nb", depends_on=[lib])"""
CELL_TASK = """@env.task
async def double(x: int) -> int:
    return 2 * x"""
CELL_DRIVER = """!ls data
@env.task
async def main(x: int) -> int:
    double(x)
    day = datetime.now().strftime("%Y-%m-%d")
    return await triple(len(day))"""
TASKS_PY = """import flyte

lib = flyte.TaskEnvironment(name="lib")


@lib.task(retries=2)
async def triple(x: int) -> int:
    return 3 * x
"""


def _open_notebook(c: Client, nb: Path, cells: list[tuple[str, str]], uris: list[str]) -> None:
    kinds = {"markdown": lsp.NotebookCellKind.Markup, "python": lsp.NotebookCellKind.Code}
    c.lc.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
        notebook_document=lsp.NotebookDocument(
            uri=nb.as_uri(), notebook_type="jupyter-notebook", version=1,
            cells=[lsp.NotebookCell(kind=kinds[lang], document=u)
                   for (lang, _), u in zip(cells, uris)]),
        cell_text_documents=[lsp.TextDocumentItem(uri=u, language_id=lang, version=1, text=t)
                             for (lang, t), u in zip(cells, uris)]))


def _at(text: str, needle: str, offset: int = 0) -> lsp.Position:
    for n, line in enumerate(text.splitlines()):
        if needle in line:
            return lsp.Position(n, line.index(needle) + offset)
    raise AssertionError(needle)


def _apply_all(text: str, edits: list[lsp.TextEdit]) -> str:
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                    reverse=True):
        text = apply_edit(text, e)
    return text


def test_fixes_hover_and_definition_in_cells(tmp_path: Path) -> None:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n",
                             "pkg/__init__.py": "", "pkg/tasks.py": TASKS_PY})
    nb = tmp_path / "flow.ipynb"  # unsaved: the editor's cells only
    cells = [("markdown", "# A flow\n"), ("python", CELL_SETUP), ("python", CELL_TASK),
             ("python", CELL_DRIVER)]
    uris = [f"vscode-notebook-cell:{nb}#cell{i}" for i in range(len(cells))]
    setup_uri, task_uri, driver_uri = uris[1], uris[2], uris[3]
    seen: dict[str, Any] = {}

    async def actions(c: Client, diags: list[lsp.Diagnostic], only: list[str] | None = None
                      ) -> list[lsp.CodeAction]:
        return list(await c.lc.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(driver_uri), range=diags[0].range,
            context=lsp.CodeActionContext(diagnostics=diags, only=only))) or [])

    async def body(c: Client) -> None:
        driver = c.next_diagnostics(driver_uri)
        _open_notebook(c, nb, cells, uris)
        seen["driver"] = diags = await asyncio.wait_for(driver, 60)
        by_code = {d.code: d for d in diags}
        seen["await"] = await actions(c, [by_code["FLY103"]])
        seen["clock"] = await actions(c, [by_code["FLY301"]])
        seen["fix all"] = await actions(c, diags, only=["source.fixAll"])
        pos = lsp.TextDocumentIdentifier(driver_uri)
        seen["hover"] = await c.lc.text_document_hover_async(lsp.HoverParams(
            text_document=pos, position=_at(CELL_DRIVER, "double(x)", 2)))
        seen["hover def"] = await c.lc.text_document_hover_async(lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(task_uri),
            position=_at(CELL_TASK, "def double", 6)))
        seen["to cell"] = await c.lc.text_document_definition_async(lsp.DefinitionParams(
            text_document=pos, position=_at(CELL_DRIVER, "double(x)", 1)))
        seen["to module"] = await c.lc.text_document_definition_async(lsp.DefinitionParams(
            text_document=pos, position=_at(CELL_DRIVER, "triple(", 1)))
        seen["nothing"] = await c.lc.text_document_hover_async(lsp.HoverParams(
            text_document=pos, position=lsp.Position(0, 1)))  # on the `!ls` magic
        # apply "fix all" as an editor does: one didChange per cell it edits
        (fix_all,) = seen["fix all"]
        changes = fix_all.edit.changes
        clean = c.next_diagnostics(driver_uri)
        c.lc.notebook_document_did_change(lsp.DidChangeNotebookDocumentParams(
            notebook_document=lsp.VersionedNotebookDocumentIdentifier(version=2,
                                                                     uri=nb.as_uri()),
            change=lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(
                text_content=[lsp.NotebookDocumentCellContentChanges(
                    document=lsp.VersionedTextDocumentIdentifier(uri=u, version=2),
                    changes=[lsp.TextDocumentContentChangePartial(range=e.range,
                                                                  text=e.new_text)
                             for e in sorted(es, key=lambda e: (e.range.start.line,
                                                                e.range.start.character),
                                             reverse=True)])
                    for u, es in changes.items()]))))
        seen["clean"] = await asyncio.wait_for(clean, 60)

    c = run(tmp_path, body)
    assert sorted(d.code for d in seen["driver"]) == ["FLY103", "FLY301"]
    fix, *rest = seen["await"]
    assert fix.title == "flytec (FLY103): await `double(x)`" and fix.is_preferred
    assert [a.title for a in rest] == ["Suppress FLY103 on this line",
                                       "Suppress FLY103 in this file",
                                       "flytec: fix all safe fixes in this file"]
    assert list(fix.edit.changes) == [driver_uri]  # an edit of the cell's document
    assert _apply_all(CELL_DRIVER, fix.edit.changes[driver_uri]) == CELL_DRIVER.replace(
        "    double(x)", "    await double(x)")
    clock = seen["clock"][0]
    assert clock.title.startswith("flytec (FLY301)"), clock.title
    # its import goes into the cell of the notebook's imports, the rest into the driver's
    assert sorted(clock.edit.changes) == sorted([setup_uri, driver_uri])
    assert _apply_all(CELL_SETUP, clock.edit.changes[setup_uri]) == CELL_SETUP.replace(
        "import lib, triple", "import lib, triple\nimport flyte.durable")
    (fix_all,) = seen["fix all"]
    assert fix_all.kind == "source.fixAll.flytec"
    assert _apply_all(CELL_DRIVER, fix_all.edit.changes[driver_uri]) == CELL_DRIVER.replace(
        "    double(x)", "    await double(x)").replace(
        "datetime.now()", "(await flyte.durable.now.aio())")
    assert list(seen["clean"]) == []  # the notebook's cells, fixed, have nothing left
    hover = seen["hover"]
    assert "**task `" in hover.contents.value and "double" in hover.contents.value
    line = CELL_DRIVER.splitlines().index("    double(x)")
    assert hover.range.start == lsp.Position(line, 4), hover.range  # in the cell
    assert "workflow:" in seen["hover def"].contents.value
    to_cell = seen["to cell"]
    assert to_cell.uri == task_uri
    assert to_cell.range.start == _at(CELL_TASK, "double"), to_cell.range
    to_module = seen["to module"]
    assert to_module.uri == (tmp_path / "pkg" / "tasks.py").as_uri()
    assert to_module.range.start == _at(TASKS_PY, "triple"), to_module.range
    assert seen["nothing"] is None
    assert not nb.exists()  # nothing was written
    assert not [m for m in c.logs if "failed" in m], c.logs


def test_fix_all_in_a_cell_is_resolved_when_chosen(tmp_path: Path) -> None:
    """A client that resolves code actions (and takes versioned document changes) gets the
    notebook's "fix all" without its edit, then the edits of the cells when it resolves it."""
    from tests.lsp.test_lsp_fixes import CAPABILITIES

    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n"})
    nb = tmp_path / "flow.ipynb"
    cells = [("python", SETUP), ("markdown", "text"), ("python", DRIVER)]
    uris = [f"vscode-notebook-cell:{nb}#cell{i}" for i in range(len(cells))]
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        driver = c.next_diagnostics(uris[2])
        _open_notebook(c, nb, cells, uris)
        diags = await asyncio.wait_for(driver, 60)
        got = await c.lc.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uris[2]), range=diags[0].range,
            context=lsp.CodeActionContext(diagnostics=diags)))
        seen["lazy"] = lazy = next(a for a in got or [] if a.kind == "source.fixAll.flytec")
        seen["resolved"] = await c.lc.code_action_resolve_async(lazy)

    c = run(tmp_path, body, CAPABILITIES)
    assert seen["lazy"].edit is None and seen["lazy"].data is not None
    (change,) = seen["resolved"].edit.document_changes
    assert change.text_document.uri == uris[2]
    assert _apply_all(DRIVER, change.edits) == DRIVER.replace("    double(x)",
                                                              "    await double(x)")
    assert not [m for m in c.logs if "failed" in m], c.logs
