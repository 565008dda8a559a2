"""The fixes of `flytec check --fix` as code actions, over stdio with pygls's client: a
finding's quick fix (preferred when safe, labelled when unsafe), "fix all safe fixes in this
file" (`source.fixAll.flytec`, resolved lazily or computed at once, as a versioned edit of the
unsaved buffer), and the related locations of a published diagnostic."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp

from tests.conftest import write_project
from tests.lsp.test_lsp_stdio import Client, _open, apply_edit, run, send_edit

A = 'import flyte\n\nworker = flyte.TaskEnvironment(name="worker")\n'
B = """import asyncio

import flyte

from pkg.a import worker

other = flyte.TaskEnvironment(name="worker")


@other.task
async def t(x: int) -> int:
    return x


@other.task
async def main(xs: list[int]) -> int:
    t(1)
    await asyncio.sleep(1)
    rs = [r async for r in flyte.map.aio(t, xs, concurrency=4)]
    return sum(rs)
"""
CAPABILITIES = lsp.ClientCapabilities(
    workspace=lsp.WorkspaceClientCapabilities(
        workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True)),
    text_document=lsp.TextDocumentClientCapabilities(code_action=lsp.CodeActionClientCapabilities(
        resolve_support=lsp.ClientCodeActionResolveOptions(properties=["edit"]))),
)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n",
                             "pkg/__init__.py": "", "pkg/a.py": A, "pkg/b.py": B})
    return tmp_path


def _only_edit(action: lsp.CodeAction) -> tuple[int | None, lsp.TextEdit]:
    assert action.edit is not None and action.edit.document_changes is not None, action
    (change,) = action.edit.document_changes
    assert isinstance(change, lsp.TextDocumentEdit)
    (edit,) = change.edits
    assert isinstance(edit, lsp.TextEdit)
    return change.text_document.version, edit


def _actions(c: Client, uri: str, diagnostics: list[lsp.Diagnostic],
             only: list[str] | None = None) -> Any:
    return c.lc.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri),
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(30, 0)),
        context=lsp.CodeActionContext(diagnostics=diagnostics, only=only)))


def test_fixes_as_code_actions(project: Path) -> None:
    b = project / "pkg" / "b.py"
    uri = b.as_uri()
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        first = c.next_diagnostics(uri)
        _open(c, b, B)
        seen["open"] = diags = await asyncio.wait_for(first, 60)
        seen["actions"] = actions = await _actions(c, uri, diags)
        lazy = next(a for a in actions if a.kind == "source.fixAll.flytec")
        seen["lazy"] = lazy
        seen["resolved"] = await c.lc.code_action_resolve_async(lazy)
        # the FLY103 quick fix, applied to the buffer
        fix = next(a for a in actions if a.title.startswith("flytec (FLY103)"))
        version, edit = _only_edit(fix)
        seen["fix version"], seen["fix"] = version, edit
        after = c.next_diagnostics(uri)
        send_edit(c, b, edit, 2)
        seen["after fix"] = diags = await asyncio.wait_for(after, 60)
        # "fix all", asked for by kind (as an editor does on save): computed at once
        (fix_all,) = await _actions(c, uri, diags, only=[lsp.CodeActionKind.Source])
        version, edit = _only_edit(fix_all)
        seen["all version"], seen["all"] = version, edit
        after = c.next_diagnostics(uri)
        send_edit(c, b, edit, 3)
        seen["after all"] = diags = await asyncio.wait_for(after, 60)
        seen["none left"] = await _actions(c, uri, diags, only=["source.fixAll"])

    c = run(project, body, CAPABILITIES)
    codes = [d.code for d in seen["open"]]
    assert codes == ["FLY602", "FLY103", "FLY305", "FLY109"], codes
    dup = seen["open"][0]
    (rel,) = dup.related_information
    assert rel.location.uri == (project / "pkg" / "a.py").as_uri()
    assert rel.location.range.start == lsp.Position(2, A.splitlines()[2].index('"worker"'))
    assert "also named 'worker'" in rel.message

    by_title = {a.title: a for a in seen["actions"]}
    safe = by_title["flytec (FLY103): await `t(1)`"]
    assert safe.is_preferred and safe.kind == lsp.CodeActionKind.QuickFix
    assert safe.diagnostics[0].code == "FLY103"
    unsafe = next(a for t, a in by_title.items() if t.startswith("flytec (FLY109)"))
    assert unsafe.title.endswith("(unsafe fix: changes behaviour)") and not unsafe.is_preferred
    assert "Suppress FLY602 on this line" in by_title  # a finding without a fix: suppressions
    assert not any(t.startswith("flytec (FLY602)") for t in by_title)
    assert seen["actions"][0].is_preferred  # fixes first, the preferred ones before

    assert seen["lazy"].edit is None and seen["lazy"].data is not None  # resolved when chosen
    resolved_version, resolved = _only_edit(seen["resolved"])
    assert resolved_version == 1
    everything = apply_edit(B, resolved)
    assert "    await t(1)\n" in everything and "flyte.durable.sleep.aio(1)" in everything
    assert "return_exceptions" not in everything  # the unsafe fix is not in "fix all"

    assert seen["fix version"] == 1
    fixed = apply_edit(B, seen["fix"])
    assert fixed == B.replace("    t(1)\n", "    await t(1)\n")
    assert [d.code for d in seen["after fix"]] == ["FLY602", "FLY305", "FLY109"]
    assert seen["all version"] == 2  # the buffer's version when it was computed
    assert apply_edit(fixed, seen["all"]) == everything
    assert [d.code for d in seen["after all"]] == ["FLY602", "FLY109"]
    assert list(seen["none left"]) == []
    assert (project / "pkg" / "b.py").read_text() == B  # nothing was written
    assert not [m for m in c.logs if "failed" in m], c.logs
