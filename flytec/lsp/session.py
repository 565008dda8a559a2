"""What the language server knows, without the transport: open buffers and notebooks, their
projects and configurations, their diagnostics, hovers, definitions and code actions.

Every answer comes from the library the CLI uses (:func:`flytec.analyzer.check.check_paths`
with the editor's unsaved buffers as an overlay and a :class:`WarmState` per project,
:func:`flytec.analyzer.fix.fix_paths`, :mod:`flytec.analyzer.lookup`, the notebook frontend);
nothing here analyses code itself. Positions are converted between the model (1-based
lines, columns counting characters) and LSP (0-based, UTF-16 code units) at this boundary
(:mod:`flytec.lsp.positions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from flytec.analyzer.check import check_paths
from flytec.analyzer.fix import fix_paths, wanted
from flytec.analyzer.lookup import Symbol, hover_markdown, symbol_at
from flytec.analyzer.warm_state import WarmState
from flytec.cache_dir import project_cache
from flytec.codegen.report.sarif import HELP_BASE
from flytec.compiler.frontend.notebook import NotebookError, notebook_bytes, read_notebook
from flytec.compiler.project import PathError, Project, find_root, load
from flytec.compiler.recover import recover
from flytec.config import Config, ConfigError, load_config, requires_python
from flytec.lsp import actions
from flytec.lsp.positions import UTF16, column_from_units, text_edit, to_range
from flytec.model.diagnostic import Diagnostic, Severity
from flytec.model.fix import Fix, offered
from flytec.model.notebook import CellMap
from flytec.model.program import Program, Task

SOURCE = actions.SOURCE
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


@dataclass
class Document:
    uri: str
    path: Path  # resolved
    text: str
    version: int | None = None
    program: Program | None = None  # recovered for hovers, for this version of the text
    findings: list[Diagnostic] | None = None  # the check of this version of the text


@dataclass
class NotebookBuffer:
    """An open notebook: its cells in order, ``(cell_type, cell document URI, text)``; its
    code cells are checked as one module (:func:`notebook_bytes`), findings go to their
    cell's document."""

    uri: str
    path: Path  # resolved
    cells: list[tuple[str, str, str]]
    version: int | None = None
    published: set[str] = field(default_factory=set)  # cell URIs given diagnostics
    # the last check's findings by cell URI, each with the fix offered (in cell coordinates)
    findings: dict[str, list[tuple[Diagnostic, Fix | None]]] | None = None
    program: Program | None = None  # recovered for hovers, for this version of the cells

    def data(self) -> bytes:
        return notebook_bytes([(kind, text) for kind, _, text in self.cells])

    def code_cells(self) -> list[str]:
        return [uri for kind, uri, _ in self.cells if kind == "code"]

    def code_texts(self) -> dict[int, tuple[str, str]]:
        """The code cells by number (1-based among all cells): document URI and text."""
        return {n: (uri, text) for n, (kind, uri, text) in enumerate(self.cells, start=1)
                if kind == "code"}

    def cell(self, uri: str) -> tuple[int, str] | None:
        """The number and text of the code cell whose document this is."""
        return next(((n, text) for n, (u, text) in self.code_texts().items() if u == uri),
                    None)


@dataclass
class _ProjectConfig:
    config: Config | None
    error: str | None
    stamp: tuple[int, int] | None  # pyproject.toml's (mtime_ns, size) when read


@dataclass
class Session:
    documents: dict[str, Document] = field(default_factory=dict)
    notebooks: dict[str, NotebookBuffer] = field(default_factory=dict)
    _configs: dict[Path, _ProjectConfig] = field(default_factory=dict)
    # per project root: its file set and result index, kept between requests
    _warm: dict[Path, WarmState] = field(default_factory=dict)
    versioned_edits: bool = False  # the client takes documentChanges (edits with a version)
    resolve_edits: bool = False  # the client resolves a code action's edit (codeAction/resolve)
    encoding: str = UTF16  # the position encoding agreed with the client

    # ---------------------------------------------------------------- documents

    def open(self, uri: str, path: Path, text: str, version: int | None) -> Document:
        doc = Document(uri, path.resolve(), text, version)
        self.documents[uri] = doc
        return doc

    def change(self, uri: str, text: str, version: int | None) -> Document | None:
        doc = self.documents.get(uri)
        if doc is not None:
            doc.text, doc.version, doc.program, doc.findings = text, version, None, None
        return doc

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)

    def open_notebook(self, uri: str, path: Path, cells: list[tuple[str, str, str]],
                      version: int | None) -> NotebookBuffer:
        nb = NotebookBuffer(uri, path.resolve(), cells, version)
        self.notebooks[uri] = nb
        return nb

    def change_notebook(self, nb: NotebookBuffer, cells: list[tuple[str, str, str]],
                        version: int | None) -> None:
        nb.cells, nb.version, nb.findings, nb.program = cells, version, None, None

    def overlay(self) -> dict[Path, bytes]:
        out = {d.path: d.text.encode("utf-8", "surrogateescape")
               for d in self.documents.values()}
        out.update((nb.path, nb.data()) for nb in self.notebooks.values())
        return out

    def in_project(self, root: Path) -> list[Document]:
        return [d for d in self.documents.values() if self.root(d) == root]

    def notebooks_in_project(self, root: Path) -> list[NotebookBuffer]:
        return [nb for nb in self.notebooks.values() if find_root(nb.path.parent) == root]

    # ---------------------------------------------------------------- configuration

    @staticmethod
    def root(doc: Document) -> Path:
        return find_root(doc.path.parent)

    @staticmethod
    def _stamp(root: Path) -> tuple[int, int] | None:
        try:
            st = (root / "pyproject.toml").stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def config(self, root: Path) -> tuple[Config | None, str | None]:
        """The project's configuration, read again when its pyproject.toml changed; or the
        error that makes it unusable."""
        stamp = self._stamp(root)
        known = self._configs.get(root)
        if known is None or known.stamp != stamp:
            try:
                config = load_config(root)
                if config.target_python is None:
                    config = replace(config, target_python=requires_python(root))
                known = _ProjectConfig(config, None, stamp)
            except ConfigError as e:
                known = _ProjectConfig(None, str(e), stamp)
            self._configs[root] = known
        return known.config, known.error

    # ---------------------------------------------------------------- kept state

    def warm(self, root: Path) -> WarmState:
        return self._warm.setdefault(root, WarmState())

    def files_changed(self) -> None:
        """Files were created, deleted or renamed: every project is walked again."""
        for state in self._warm.values():
            state.files_changed()

    def saved(self, doc: Document) -> None:
        """A save may create the file (a new buffer saved for the first time)."""
        project = self.warm(self.root(doc)).project
        if project is not None and doc.path not in project.files:
            self.files_changed()

    # ---------------------------------------------------------------- diagnostics

    def check_config(self, root: Path) -> tuple[Config | None, str | None]:
        """The configuration for a check of unsaved buffers: mypy is for
        ``flytec check --types``, not for every keystroke."""
        config, error = self.config(root)
        if config is not None and config.types:
            config = replace(config, types=False)
        return config, error

    def diagnostics(self, doc: Document) -> list[lsp.Diagnostic]:
        """The findings in the buffer as it is now (unsaved text included)."""
        root = self.root(doc)
        config, error = self.check_config(root)
        if config is None:
            doc.findings = []
            return [_config_problem(error or "invalid configuration")]
        result = check_paths([doc.path], config, cwd=root, incremental=config.cache,
                             overlay=self.overlay(), warm=self.warm(root))
        shown = result.project.display(doc.path)
        doc.findings = [d for d in result.diagnostics if d.path == shown]
        lines = doc.text.splitlines()
        return [to_lsp(d, lines, self._related(d, root), self.encoding) for d in doc.findings]

    def notebook_diagnostics(self, nb: NotebookBuffer) -> dict[str, list[lsp.Diagnostic]]:
        """The findings of a notebook's code cells, by cell document URI (every code cell,
        an empty list for a clean one)."""
        code = nb.code_cells()
        out: dict[str, list[lsp.Diagnostic]] = {uri: [] for uri in code}
        if not code:
            return out
        root = find_root(nb.path.parent)
        config, error = self.check_config(root)
        if config is None:
            out[code[0]] = [_config_problem(error or "invalid configuration")]
            return out
        result = check_paths([nb.path], config, cwd=root, incremental=config.cache,
                             overlay=self.overlay(), warm=self.warm(root))
        shown = result.project.display(nb.path)
        nb.findings = {uri: [] for uri in code}
        for d in result.diagnostics:
            if d.path != shown:
                continue
            n = (d.cell or 0) - 1  # cells count from 1, Markdown ones included
            kind, uri, text = nb.cells[n] if 0 <= n < len(nb.cells) else ("code", code[0], "")
            related = self._related(replace(d, related=tuple(
                r for r in d.related if r.path != shown)), root)  # (module lines, not cells)
            out[uri].append(to_lsp(d, text.splitlines(), related, self.encoding))
            nb.findings[uri].append((d, offered(d.fix)))
        return out

    def findings(self, doc: Document) -> list[Diagnostic]:
        """The library's findings for the buffer's current text (checked again if needed)."""
        if doc.findings is None:
            self.diagnostics(doc)
        return doc.findings or []

    def _related(self, d: Diagnostic, root: Path) -> list[lsp.DiagnosticRelatedInformation]:
        out = []
        for r in d.related:
            target = (root / r.path).resolve()
            out.append(lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=target.as_uri(),
                                      range=to_range(r.span, _lines_of(target, self.documents),
                                                     self.encoding)),
                message=r.message))
        return out

    # ---------------------------------------------------------------- hover, definition

    def program(self, doc: Document | NotebookBuffer) -> tuple[Program, Project] | None:
        """The recovered program around an open file or notebook, as its text is now."""
        root = find_root(doc.path.parent)
        config, _ = self.config(root)
        if config is None:
            return None
        project = self.warm(root).project
        if project is None:
            project = Project(root=root, exclude=config.exclude, include=config.include,
                              cache_dir=project_cache(root, config.cache, config.cache_dir),
                              cwd=root)
        project.overlay = self.overlay()
        if doc.program is None:
            try:
                loaded = load(project, [doc.path], force=frozenset({doc.path}))
            except PathError:
                return None
            doc.program = recover(loaded.modules)
        return doc.program, project

    def symbol(self, doc: Document, pos: lsp.Position) -> tuple[Symbol, Program, Project] | None:
        got = self.program(doc)
        if got is None:
            return None
        program, project = got
        line = pos.line + 1
        column = column_from_units(doc.text.splitlines(), pos.line, pos.character,
                                   self.encoding) + 1
        sym = symbol_at(program, project.display(doc.path), line, column)
        return None if sym is None else (sym, program, project)

    def notebook_of(self, cell_uri: str) -> tuple[NotebookBuffer, int, str] | None:
        """The open notebook a code cell's document is in, the cell's number and text."""
        for nb in self.notebooks.values():
            got = nb.cell(cell_uri)
            if got is not None:
                return nb, *got
        return None

    def cell_symbol(self, cell_uri: str, pos: lsp.Position
                    ) -> tuple[Symbol, Program, Project, CellMap, str] | None:
        """The task named at a position of a notebook cell (the library looks it up in the
        module of the notebook's code cells, at the cell's line there)."""
        found = self.notebook_of(cell_uri)
        if found is None:
            return None
        nb, number, text = found
        got = self.program(nb)
        if got is None:
            return None
        program, project = got
        shown = project.display(nb.path)
        mod = program.modules.get(program.paths.get(shown, ""))
        cells = mod.notebook if mod is not None else None
        line = cells.module_line(number, pos.line + 1) if cells is not None else None
        if cells is None or line is None:
            return None
        column = column_from_units(text.splitlines(), pos.line, pos.character,
                                   self.encoding) + 1
        sym = symbol_at(program, shown, line, column)
        return None if sym is None else (sym, program, project, cells, text)

    def hover(self, doc: Document, pos: lsp.Position) -> lsp.Hover | None:
        found = self.symbol(doc, pos)
        if found is None:
            return None
        sym, program, _ = found
        return _hover(program, sym, to_range(sym.span, doc.text.splitlines(), self.encoding))

    def cell_hover(self, cell_uri: str, pos: lsp.Position) -> lsp.Hover | None:
        found = self.cell_symbol(cell_uri, pos)
        if found is None:
            return None
        sym, program, _, cells, text = found
        span = cells.span(sym.span)
        return _hover(program, sym, None if span is None else
                      to_range(span[1], text.splitlines(), self.encoding))

    def definition(self, doc: Document, pos: lsp.Position) -> lsp.Location | None:
        found = self.symbol(doc, pos)
        return None if found is None else self.task_location(found[0].task, found[1],
                                                              found[2])

    def cell_definition(self, cell_uri: str, pos: lsp.Position) -> lsp.Location | None:
        found = self.cell_symbol(cell_uri, pos)
        return None if found is None else self.task_location(found[0].task, found[1],
                                                              found[2])

    def task_location(self, task: Task, program: Program, project: Project
                      ) -> lsp.Location | None:
        """Where a task's name is in its ``def``: in a ``.py`` file, or in the cell of an
        open notebook (a notebook is imported by nothing: the one the request came from;
        were it not open, the notebook file itself)."""
        target = (project.cwd / task.path).resolve()
        span = task.function.name_span
        mod = program.modules.get(task.module)
        if mod is not None and mod.notebook is not None:
            nb = next((n for n in self.notebooks.values() if n.path == target), None)
            in_cell = mod.notebook.span(span)
            if nb is None or in_cell is None or in_cell[0] not in nb.code_texts():
                start = lsp.Position(0, 0)
                return lsp.Location(uri=target.as_uri(), range=lsp.Range(start, start))
            uri, text = nb.code_texts()[in_cell[0]]
            return lsp.Location(uri=uri, range=to_range(in_cell[1], text.splitlines(),
                                                        self.encoding))
        lines = _lines_of(target, self.documents)
        return lsp.Location(uri=target.as_uri(), range=to_range(span, lines, self.encoding))

    # ---------------------------------------------------------------- code actions

    def code_actions(self, doc: Document, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        """For each flytec diagnostic of the request: its fix (a quick fix, preferred when
        safe), then "suppress on this line" and "in this file"; and "fix all safe fixes in
        this file" when the buffer has one."""
        only = params.context.only
        uri, version = doc.uri, doc.version
        findings = self.findings(doc)
        out: list[lsp.CodeAction] = []
        if actions.wanted_kind(lsp.CodeActionKind.QuickFix, only):
            out = actions.quick_actions(uri, version, doc.text,
                                        [(d, d.fix) for d in findings if d.cell is None],
                                        list(params.context.diagnostics), self.versioned_edits,
                                        self.encoding)
        if actions.wanted_kind(actions.FIX_ALL, only) and any(wanted(d, False)
                                                              for d in findings):
            if self.resolve_edits and only is None:  # the lightbulb: computed when chosen
                out.append(actions.fix_all_action(None, {"uri": uri, "version": version}))
            else:
                action = self.fix_all(doc)
                if action is not None:
                    out.append(action)
        return out

    def cell_code_actions(self, cell_uri: str, params: lsp.CodeActionParams
                          ) -> list[lsp.CodeAction]:
        """A notebook cell's actions, as for a file: each finding's fix (edits of the cells'
        documents, as ``flytec check --fix`` edits the cells), its suppressions (edits of
        the cell), and "fix all safe fixes" of the whole notebook."""
        found = self.notebook_of(cell_uri)
        if found is None:
            return []
        nb, _, text = found
        only = params.context.only
        if nb.findings is None:
            self.notebook_diagnostics(nb)
        findings = nb.findings or {}
        out: list[lsp.CodeAction] = []
        if actions.wanted_kind(lsp.CodeActionKind.QuickFix, only):
            cells = nb.code_texts()

            def fix_of(code: str, fix: Fix | None, shown: lsp.Diagnostic
                       ) -> lsp.CodeAction | None:
                return actions.cell_fix_action(cells, code, fix, shown, self.versioned_edits,
                                               self.encoding)

            out = actions.quick_actions(cell_uri, None, text, findings.get(cell_uri, []),
                                        list(params.context.diagnostics), self.versioned_edits,
                                        self.encoding, fix_of)
        if actions.wanted_kind(actions.FIX_ALL, only) and any(
                wanted(d, False) for ds in findings.values() for d, _ in ds):
            if self.resolve_edits and only is None:
                out.append(actions.fix_all_action(None, {"notebook": nb.uri,
                                                         "version": nb.version}))
            else:
                action = self.notebook_fix_all(nb)
                if action is not None:
                    out.append(action)
        return out

    def notebook_fix_all(self, nb: NotebookBuffer) -> lsp.CodeAction | None:
        """Every safe fix of an open notebook, applied to its unsaved cells as
        ``flytec check --fix flow.ipynb`` applies them, as edits of the cells changed."""
        fixed = self._fixed(nb.path, find_root(nb.path.parent))
        if fixed is None:
            return None
        try:
            new = dict(read_notebook(fixed).cells)
        except NotebookError:
            return None
        cells = nb.code_texts()
        edit = actions.cell_edits(cells, {n: t for n, t in new.items() if n in cells},
                                  self.versioned_edits, self.encoding)
        return None if edit is None else actions.fix_all_action(edit)

    def fix_all(self, doc: Document) -> lsp.CodeAction | None:
        """Every safe fix of the buffer, applied as ``flytec check --fix`` applies them (pass
        after pass, on the unsaved text), as one edit of this version of the document."""
        fixed = self._fixed(doc.path, self.root(doc))
        if fixed is None:
            return None
        edit = text_edit(doc.text, fixed.decode("utf-8", "surrogateescape"), self.encoding)
        if edit is None:
            return None
        return actions.fix_all_action(actions.workspace_edit(doc.uri, doc.version, [edit],
                                                             self.versioned_edits))

    def _fixed(self, path: Path, root: Path) -> bytes | None:
        """The file's unsaved text with every safe fix applied (None: nothing to fix, or the
        project's configuration is broken)."""
        config, _ = self.check_config(root)
        if config is None:
            return None
        run = fix_paths([path], config, cwd=root, overlay=self.overlay(), warm=self.warm(root))
        fixed = run.files.get(path)
        return fixed.fixed if fixed is not None and fixed.changed else None

    def resolve(self, action: lsp.CodeAction) -> lsp.CodeAction:
        """Fill in the edit of a "fix all" offered without one; unchanged when the buffer
        changed since it was offered (the client asks again)."""
        data: Any = action.data
        if action.edit is not None or not isinstance(data, dict):
            return action
        if "notebook" in data:
            nb = self.notebooks.get(str(data["notebook"]))
            if nb is None or nb.version != data.get("version"):
                return action
            done = self.notebook_fix_all(nb)
            return action if done is None else done
        doc = self.documents.get(str(data.get("uri")))
        if doc is None or doc.version != data.get("version"):
            return action
        resolved = self.fix_all(doc)
        return action if resolved is None else resolved


# -------------------------------------------------------------------- conversions


def to_lsp(d: Diagnostic, lines: list[str],
           related: list[lsp.DiagnosticRelatedInformation] | None = None,
           encoding: str = UTF16) -> lsp.Diagnostic:
    message = d.message
    if d.chain:
        message += "\n" + "\n".join(f"  {c}" for c in d.chain)
    if d.help:
        message += f"\nhelp: {d.help}"
    return lsp.Diagnostic(
        range=to_range(d.span, lines, encoding),
        message=message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=lsp.CodeDescription(href=f"{HELP_BASE}/{d.code}.md"),
        source=SOURCE,
        related_information=related or None,
        data={"name": d.name, "task": d.task, "fixable": offered(d.fix) is not None},
    )


def _hover(program: Program, sym: Symbol, where: lsp.Range | None) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                                value=hover_markdown(program, sym.task)),
                     range=where)


def _config_problem(message: str) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=lsp.Range(start=lsp.Position(0, 0), end=lsp.Position(0, 0)),
        message=f"flytec: the project's configuration cannot be used: {message}",
        severity=lsp.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def _lines_of(path: Path, documents: dict[str, Document]) -> list[str]:
    for d in documents.values():
        if d.path == path:
            return d.text.splitlines()
    try:
        return path.read_text("utf-8", "surrogateescape").splitlines()
    except OSError:
        return []
