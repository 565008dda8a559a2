"""`flytec lsp` end to end over stdio, driven by pygls's own LSP client: initialize, open a
buggy buffer, get its diagnostic, edit the buffer to fix it, get the empty list, code actions,
hover, go to definition, a malformed request and a syntax error that do not kill the server,
shutdown and exit."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from tests.conftest import write_project

ENVS = """
import flyte

worker = flyte.TaskEnvironment(name="worker", resources=flyte.Resources(cpu=2, memory="4Gi"))
"""
TASKS = """
import flyte

from pkg.envs import worker

driver = flyte.TaskEnvironment(name="driver", depends_on=[worker])


@worker.task(retries=3)
async def double(x: int) -> int:
    return 2 * x


@driver.task
async def main(x: int) -> int:
    double(x)
    return x
"""
FIXED = TASKS.replace("    double(x)\n", "    await double(x)\n")


class Client:
    """A client that keeps the diagnostics the server publishes, per URI."""

    def __init__(self) -> None:
        self.lc = LanguageClient("test", "1")
        self.published: dict[str, list[lsp.Diagnostic]] = {}
        self.logs: list[str] = []
        self._waiters: list[tuple[str, asyncio.Future[list[lsp.Diagnostic]]]] = []

        @self.lc.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(_: LanguageClient, p: lsp.PublishDiagnosticsParams) -> None:
            self.published[p.uri] = p.diagnostics
            for uri, fut in list(self._waiters):
                if uri == p.uri and not fut.done():
                    fut.set_result(p.diagnostics)
                    self._waiters.remove((uri, fut))

        @self.lc.feature(lsp.WINDOW_LOG_MESSAGE)
        def on_log(_: LanguageClient, p: lsp.LogMessageParams) -> None:
            self.logs.append(p.message)

    def next_diagnostics(self, uri: str) -> asyncio.Future[list[lsp.Diagnostic]]:
        fut: asyncio.Future[list[lsp.Diagnostic]] = asyncio.get_running_loop().create_future()
        self._waiters.append((uri, fut))
        return fut


async def session(root: Path, body: Callable[[Client], Awaitable[None]],
                  capabilities: lsp.ClientCapabilities | None = None) -> Client:
    c = Client()
    await c.lc.start_io(sys.executable, "-m", "flytec", "lsp", cwd=str(root))
    try:
        await asyncio.wait_for(c.lc.initialize_async(lsp.InitializeParams(
            capabilities=capabilities or lsp.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name="p")],
        )), 60)
        c.lc.initialized(lsp.InitializedParams())
        await body(c)
        await asyncio.wait_for(c.lc.shutdown_async(None), 30)
        c.lc.exit(None)
    finally:
        await asyncio.wait_for(c.lc.stop(), 30)
    return c


def run(root: Path, body: Callable[[Client], Awaitable[None]],
        capabilities: lsp.ClientCapabilities | None = None) -> Client:
    return asyncio.run(session(root, body, capabilities))


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n",
                             "pkg/__init__.py": "", "pkg/envs.py": ENVS, "pkg/flow.py": TASKS})
    return tmp_path


def _open(c: Client, path: Path, text: str, version: int = 1) -> None:
    c.lc.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri=path.as_uri(), language_id="python", version=version, text=text)))


def _replace_all(c: Client, path: Path, old: str, new: str, version: int) -> None:
    lines = old.splitlines()
    end = lsp.Position(len(lines), 0)
    c.lc.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(0, 0), end), text=new)]))


def apply_edit(text: str, edit: lsp.TextEdit) -> str:
    """The text after one edit (positions in UTF-16 code units; ASCII here)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def at(p: lsp.Position) -> int:
        return starts[p.line] + p.character if p.line < len(lines) else len(text)

    return text[: at(edit.range.start)] + edit.new_text + text[at(edit.range.end):]


def send_edit(c: Client, path: Path, edit: lsp.TextEdit, version: int) -> None:
    """Apply a server's edit to the buffer, as an editor does: an incremental didChange."""
    c.lc.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(range=edit.range,
                                                               text=edit.new_text)]))


def _position_of(text: str, needle: str, offset: int = 0) -> lsp.Position:
    for n, line in enumerate(text.splitlines()):
        i = line.find(needle)
        if i >= 0:
            return lsp.Position(n, i + offset)
    raise AssertionError(needle)


def test_diagnostics_follow_the_unsaved_buffer(project: Path) -> None:
    flow = project / "pkg" / "flow.py"
    uri = flow.as_uri()
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        first = c.next_diagnostics(uri)
        _open(c, flow, TASKS)
        seen["open"] = await asyncio.wait_for(first, 60)
        fixed = c.next_diagnostics(uri)
        _replace_all(c, flow, TASKS, FIXED, 2)
        seen["fixed"] = await asyncio.wait_for(fixed, 60)
        broken = c.next_diagnostics(uri)
        _replace_all(c, flow, FIXED, TASKS, 3)
        seen["again"] = await asyncio.wait_for(broken, 60)
        seen["actions"] = await c.lc.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri),
            range=seen["again"][0].range,
            context=lsp.CodeActionContext(diagnostics=seen["again"])))
        seen["hover"] = await c.lc.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(uri), _position_of(TASKS, "    double(x)", 6)))
        seen["definition"] = await c.lc.text_document_definition_async(lsp.DefinitionParams(
            lsp.TextDocumentIdentifier(uri), _position_of(TASKS, "    double(x)", 6)))
        # the finding's fix, applied to the buffer as an editor applies it: the empty list
        fix = next(a for a in seen["actions"] if a.kind == lsp.CodeActionKind.QuickFix
                   and a.is_preferred)
        (seen["fix"],) = fix.edit.changes[uri]
        fixed = c.next_diagnostics(uri)
        send_edit(c, flow, seen["fix"], 4)
        seen["after fix"] = await asyncio.wait_for(fixed, 60)

    c = run(project, body)
    (d,) = seen["open"]
    assert (d.code, d.severity, d.source) == ("FLY103", lsp.DiagnosticSeverity.Error, "flytec")
    call = _position_of(TASKS, "double(x)")
    assert d.range.start == call, d.range  # `double(x)`, 0-based
    assert d.code_description is not None and d.code_description.href.endswith("FLY103.md")
    assert list(seen["fixed"]) == []  # the buffer, not the file on disk, was checked
    assert [x.code for x in seen["again"]] == ["FLY103"]
    assert "double(x)\n" in flow.read_text()  # nothing was written

    titles = [a.title for a in seen["actions"]]
    assert titles[0] == "flytec (FLY103): await `double(x)`", titles  # the fix comes first
    assert apply_edit(TASKS, seen["fix"]) == FIXED
    assert list(seen["after fix"]) == []
    assert "Suppress FLY103 on this line" in titles and "Suppress FLY103 in this file" in titles
    on_line = next(a for a in seen["actions"] if a.title.endswith("on this line"))
    (edit,) = on_line.edit.changes[uri]
    assert edit.new_text == "  # noqa: FLY103" and edit.range.start.line == call.line

    hover = seen["hover"]
    assert hover is not None
    text = hover.contents.value
    assert "task `worker.double`" in text and "async def double(x: int) -> int" in text
    assert "retries: `3`" in text and "Resources(cpu=2, memory='4Gi')" in text
    assert "leaf task" in text
    loc = seen["definition"]
    assert loc.uri == uri and loc.range.start == _position_of(TASKS, "double(x: int)"), loc
    assert not [m for m in c.logs if "failed" in m], c.logs


def test_hover_names_a_dynamic_workflow_and_definition_crosses_modules(project: Path) -> None:
    (project / "pkg" / "other.py").write_text(
        "from pkg.flow import double as twice\nfrom pkg.envs import worker\n\n\n"
        "@worker.task\nasync def loop(n: int) -> int:\n    total = 0\n"
        "    while total < n:\n        total += await twice(total + 1)\n    return total\n")
    other = project / "pkg" / "other.py"
    text = other.read_text()
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        first = c.next_diagnostics(other.as_uri())
        _open(c, other, text)
        await asyncio.wait_for(first, 60)
        ident = lsp.TextDocumentIdentifier(other.as_uri())
        seen["hover"] = await c.lc.text_document_hover_async(
            lsp.HoverParams(ident, _position_of(text, "def loop", 5)))
        seen["definition"] = await c.lc.text_document_definition_async(
            lsp.DefinitionParams(ident, _position_of(text, "twice(total", 1)))

    run(project, body)
    assert "dynamic" in seen["hover"].contents.value, seen["hover"].contents.value
    loc = seen["definition"]
    assert loc.uri == (project / "pkg" / "flow.py").as_uri()  # through the alias
    assert loc.range.start.line == _position_of((project / "pkg/flow.py").read_text(),
                                                "def double").line


def test_bad_requests_and_bad_code_never_kill_the_server(project: Path) -> None:
    broken = project / "pkg" / "broken.py"
    seen: dict[str, Any] = {}

    async def body(c: Client) -> None:
        first = c.next_diagnostics(broken.as_uri())
        _open(c, broken, "import flyte\n\ndef f(:\n    pass\n")
        seen["syntax"] = await asyncio.wait_for(first, 60)
        # a hover on a document the server never saw, and one far past the end of a file
        seen["unknown"] = await c.lc.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier((project / "nope.py").as_uri()), lsp.Position(0, 0)))
        seen["past"] = await c.lc.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(broken.as_uri()), lsp.Position(999, 999)))
        # malformed parameters: an error answer (or none), then the server goes on
        with pytest.raises(Exception):  # noqa: B017 - the error the server answers with
            await asyncio.wait_for(
                c.lc.protocol.send_request_async("textDocument/hover", {"bogus": 1}), 20)
        flow = project / "pkg" / "flow.py"
        alive = c.next_diagnostics(flow.as_uri())
        _open(c, flow, TASKS)
        seen["alive"] = await asyncio.wait_for(alive, 60)

    run(project, body)
    assert [d.code for d in seen["syntax"]] == ["FLY001"]
    assert seen["unknown"] is None and seen["past"] is None
    assert [d.code for d in seen["alive"]] == ["FLY103"]
