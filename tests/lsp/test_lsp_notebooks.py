"""Notebook documents over stdio (`notebookDocument/*` sync, pygls's client): the code cells
of an unsaved notebook are checked as one module, each finding is published to its cell's
document with a range inside the cell, "suppress on this line" is an edit of the cell, and
editing a cell re-checks the notebook."""

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
        (edit,) = actions[0].edit.changes[uris[2]]  # "suppress on this line", in the cell
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
    assert titles == ["Suppress FLY103 on this line", "Suppress FLY103 in this file"], titles
    assert apply_edit(DRIVER, seen["edit"]) == DRIVER.replace(
        "    double(x)\n", "    double(x)  # noqa: FLY103\n")
    assert list(seen["suppressed"]) == []  # the comment in the cell suppresses it
    assert [x.code for x in seen["again"]] == ["FLY103"]
    assert list(seen["closed"]) == []
    assert not nb.exists()  # nothing was written
    assert not [m for m in c.logs if "failed" in m], c.logs
