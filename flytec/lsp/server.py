"""``flytec lsp``: the Language Server Protocol over stdio, a thin shell over :class:`Session`.

Diagnostics are published on open, on save and, debounced, on change (the unsaved buffer);
a save re-checks every open file of that project, since its findings may read the saved one.
A request that fails is logged to the client and answered empty; it never stops the server.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from flytec import __version__
from flytec.compiler.project import find_root
from flytec.lsp.actions import FIX_ALL
from flytec.lsp.session import Document, NotebookBuffer, Session

DEBOUNCE_SECONDS = 0.1
PRELOAD_SECONDS = 0.3
WATCHED = ("**/*.py", "**/*.ipynb", "**/pyproject.toml")
T = TypeVar("T")


class FlytecServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("flytec", __version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=lsp.NotebookDocumentSyncOptions(
                             notebook_selector=[lsp.NotebookDocumentFilterWithCells(
                                 cells=[lsp.NotebookCellLanguage(language="python")])],
                             save=True))
        self.session = Session()
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._changed: dict[str, float] = {}  # when each buffer last changed (loop time)
        self._parser_loaded = False

    def guarded(self, what: str, fn: Callable[[], T], default: T) -> T:
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - one bad request must not stop the server
            self.window_log_message(lsp.LogMessageParams(
                type=lsp.MessageType.Error,
                message=f"flytec: {what} failed: {type(e).__name__}: {e}\n"
                        f"{traceback.format_exc(limit=8)}"))
            return default

    def read_capabilities(self) -> None:
        """What the client's edits and code actions can do (the session words its answers
        accordingly)."""
        encoding = self.workspace.position_encoding or "utf-16"  # as pygls agreed it
        self.session.encoding = str(getattr(encoding, "value", encoding))
        caps = self.client_capabilities
        edits = caps.workspace.workspace_edit if caps.workspace else None
        self.session.versioned_edits = bool(edits and edits.document_changes)
        action = caps.text_document.code_action if caps.text_document else None
        resolve = action.resolve_support if action else None
        self.session.resolve_edits = bool(resolve and "edit" in resolve.properties)

    def publish(self, doc: Document) -> None:
        diagnostics = self.guarded(f"checking {doc.path}",
                                   lambda: self.session.diagnostics(doc), None)
        if diagnostics is None:
            return
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, diagnostics=diagnostics, version=doc.version))
        if not self._parser_loaded:  # an opened file may come from the result index: load
            self._parser_loaded = True  # the parser now, not at the first keystroke
            asyncio.get_running_loop().call_later(PRELOAD_SECONDS, _load_parser)

    def publish_project(self, root: Path) -> None:
        for other in self.session.in_project(root):
            self.publish(other)
        for nb in self.session.notebooks_in_project(root):
            self.publish_notebook(nb)

    def later(self, uri: str, publish: Callable[[], None]) -> None:
        """Check a buffer (or notebook) after a change: at once when it had been quiet for
        the debounce time (a single edit), else once the changes stop for that long (typing,
        a paste arriving in pieces)."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        quiet = now - self._changed.get(uri, float("-inf")) >= DEBOUNCE_SECONDS
        self._changed[uri] = now
        old = self._pending.pop(uri, None)
        if old is not None:
            old.cancel()
        delay = 0.0 if quiet and old is None else DEBOUNCE_SECONDS

        async def run() -> None:
            await asyncio.sleep(delay)
            self._pending.pop(uri, None)
            publish()

        self._pending[uri] = asyncio.ensure_future(run())

    # ------------------------------------------------------------------ notebooks

    def cells(self, notebook: lsp.NotebookDocument) -> list[tuple[str, str, str]]:
        """A notebook's cells as the session takes them: kind, cell URI, current text."""
        out = []
        for cell in notebook.cells:
            kind = "code" if cell.kind == lsp.NotebookCellKind.Code else "markdown"
            out.append((kind, cell.document, self.workspace.get_text_document(cell.document)
                        .source))
        return out

    def publish_notebook(self, nb: NotebookBuffer) -> None:
        by_cell = self.guarded(f"checking {nb.path}",
                               lambda: self.session.notebook_diagnostics(nb), None)
        if by_cell is None:
            return
        for uri, diagnostics in by_cell.items():
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics))
        for uri in nb.published - set(by_cell):  # cells deleted or turned into Markdown
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=uri, diagnostics=[]))
        nb.published = set(by_cell)


def _load_parser() -> None:
    import flytec.compiler.frontend.parse  # noqa: F401 - libcst, a fifth of a second


def _path(uri: str) -> Path | None:
    """The file a document is, or None for a document that is not a file (untitled:...)."""
    fs = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(fs) if fs else None


def make_server() -> FlytecServer:
    server = FlytecServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FlytecServer, params: lsp.DidOpenTextDocumentParams) -> None:
        td = params.text_document
        path = _path(td.uri)
        if path is None:
            return
        ls.publish(ls.session.open(td.uri, path, td.text, td.version))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FlytecServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        text = ls.workspace.get_text_document(uri).source  # pygls applied the changes
        doc = ls.session.change(uri, text, params.text_document.version)
        if doc is not None:
            ls.later(uri, lambda: ls.publish(doc))

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE,
                    lsp.TextDocumentSaveRegistrationOptions(include_text=True))
    def did_save(ls: FlytecServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.session.documents.get(uri)
        if doc is None:
            return
        if params.text is not None:
            ls.session.change(uri, params.text, doc.version)
        ls.guarded("noting a save", lambda: ls.session.saved(doc), None)
        ls.publish_project(Session.root(doc))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FlytecServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.session.close(uri)
        ls._changed.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri,
                                                                          diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: FlytecServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(c.type != lsp.FileChangeType.Changed for c in params.changes):
            ls.session.files_changed()  # created or deleted: which modules exist changed
        for doc in list(ls.session.documents.values()):
            doc.program = None
            ls.publish(doc)
        for nb in list(ls.session.notebooks.values()):
            nb.program = None
            ls.publish_notebook(nb)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: FlytecServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        notebook = params.notebook_document
        path = _path(notebook.uri)
        if path is None:
            return
        cells = ls.guarded("reading a notebook's cells", lambda: ls.cells(notebook), None)
        if cells is not None:
            ls.publish_notebook(ls.session.open_notebook(notebook.uri, path, cells,
                                                         notebook.version))

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: FlytecServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        nb = ls.session.notebooks.get(uri)
        notebook = ls.workspace.get_notebook_document(notebook_uri=uri)
        if nb is None or notebook is None:
            return
        cells = ls.guarded("reading a notebook's cells", lambda: ls.cells(notebook), None)
        if cells is not None:
            ls.session.change_notebook(nb, cells, notebook.version)  # (pygls applied them)
            ls.later(uri, lambda: ls.publish_notebook(nb))

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: FlytecServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
        nb = ls.session.notebooks.get(params.notebook_document.uri)
        if nb is not None:
            ls.publish_project(find_root(nb.path.parent))

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: FlytecServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        nb = ls.session.notebooks.pop(params.notebook_document.uri, None)
        ls._changed.pop(params.notebook_document.uri, None)
        cells = {c.uri for c in params.cell_text_documents} | (nb.published if nb else set())
        for uri in cells:
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=uri, diagnostics=[]))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: FlytecServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        doc = ls.session.documents.get(uri)
        if doc is None:  # a notebook's cell, or a document the server does not know
            return ls.guarded("hover", lambda: ls.session.cell_hover(uri, params.position),
                              None)
        return ls.guarded("hover", lambda: ls.session.hover(doc, params.position), None)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: FlytecServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        uri = params.text_document.uri
        doc = ls.session.documents.get(uri)
        if doc is None:  # a notebook's cell, or a document the server does not know
            return ls.guarded("definition",
                              lambda: ls.session.cell_definition(uri, params.position), None)
        return ls.guarded("definition",
                          lambda: ls.session.definition(doc, params.position), None)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True))
    def code_action(ls: FlytecServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        doc = ls.session.documents.get(uri)
        empty: list[lsp.CodeAction] = []
        if doc is None:  # a notebook's cell, or a document the server does not know
            return ls.guarded("code actions",
                              lambda: ls.session.cell_code_actions(uri, params), empty)
        return ls.guarded("code actions", lambda: ls.session.code_actions(doc, params), empty)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    def code_action_resolve(ls: FlytecServer, action: lsp.CodeAction) -> lsp.CodeAction:
        return ls.guarded("resolving a code action", lambda: ls.session.resolve(action), action)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: FlytecServer, _: lsp.InitializedParams) -> None:
        ls.guarded("reading the client's capabilities", ls.read_capabilities, None)
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch and watch.dynamic_registration:
            options = lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHED])
            try:  # the client tells us when files appear, go or change on disk
                await ls.client_register_capability_async(lsp.RegistrationParams([
                    lsp.Registration(id="flytec-files",
                                     method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                     register_options=options)]))
            except Exception as e:  # noqa: BLE001 - without it, saves still re-check
                ls.window_log_message(lsp.LogMessageParams(
                    type=lsp.MessageType.Warning,
                    message=f"flytec: cannot watch files: {type(e).__name__}: {e}"))

    return server


def serve(**_: Any) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    make_server().start_io()
