"""What the language server knows, without the transport: open buffers, their projects and
configurations, their diagnostics, hovers, definitions and code actions.

Every answer comes from the library the CLI uses (:func:`flytec.analyzer.check.check_paths`
with the editor's unsaved buffers as an overlay, :mod:`flytec.analyzer.lookup`); nothing here
analyses code itself. Positions are converted between the model (1-based lines, columns
counting characters) and LSP (0-based, in the client's position encoding) at this boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp

from flytec.analyzer.check import check_paths
from flytec.analyzer.lookup import Symbol, hover_markdown, symbol_at
from flytec.cache_dir import project_cache
from flytec.codegen.report.sarif import HELP_BASE
from flytec.compiler.project import PathError, Project, find_root, load
from flytec.compiler.recover import recover
from flytec.config import Config, ConfigError, load_config, requires_python
from flytec.model.diagnostic import Diagnostic, Severity
from flytec.model.program import Program
from flytec.model.span import Span

SOURCE = "flytec"
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?",
                   re.IGNORECASE)


@dataclass
class Document:
    uri: str
    path: Path  # resolved
    text: str
    version: int | None = None
    program: Program | None = None  # recovered for hovers, for this version of the text


@dataclass
class _ProjectConfig:
    config: Config | None
    error: str | None
    stamp: tuple[int, int] | None  # pyproject.toml's (mtime_ns, size) when read


@dataclass
class Session:
    documents: dict[str, Document] = field(default_factory=dict)
    _configs: dict[Path, _ProjectConfig] = field(default_factory=dict)

    # ---------------------------------------------------------------- documents

    def open(self, uri: str, path: Path, text: str, version: int | None) -> Document:
        doc = Document(uri, path.resolve(), text, version)
        self.documents[uri] = doc
        return doc

    def change(self, uri: str, text: str, version: int | None) -> Document | None:
        doc = self.documents.get(uri)
        if doc is not None:
            doc.text, doc.version, doc.program = text, version, None
        return doc

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)

    def overlay(self) -> dict[Path, bytes]:
        return {d.path: d.text.encode("utf-8", "surrogateescape")
                for d in self.documents.values()}

    def in_project(self, root: Path) -> list[Document]:
        return [d for d in self.documents.values() if self.root(d) == root]

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
                    from dataclasses import replace

                    config = replace(config, target_python=requires_python(root))
                known = _ProjectConfig(config, None, stamp)
            except ConfigError as e:
                known = _ProjectConfig(None, str(e), stamp)
            self._configs[root] = known
        return known.config, known.error

    # ---------------------------------------------------------------- diagnostics

    def diagnostics(self, doc: Document) -> list[lsp.Diagnostic]:
        """The findings in the buffer as it is now (unsaved text included)."""
        root = self.root(doc)
        config, error = self.config(root)
        if config is None:
            return [_config_problem(error or "invalid configuration")]
        if config.types:  # mypy is for `flytec check --types`, not for every keystroke
            from dataclasses import replace

            config = replace(config, types=False)
        result = check_paths([doc.path], config, cwd=root, incremental=config.cache,
                             overlay=self.overlay())
        shown = result.project.display(doc.path)
        lines = doc.text.splitlines()
        return [to_lsp(d, lines) for d in result.diagnostics if d.path == shown]

    # ---------------------------------------------------------------- hover, definition

    def program(self, doc: Document) -> tuple[Program, Project] | None:
        root = self.root(doc)
        config, _ = self.config(root)
        if config is None:
            return None
        project = Project(root=root, exclude=config.exclude, include=config.include,
                          cache_dir=project_cache(root, config.cache, config.cache_dir),
                          cwd=root, overlay=self.overlay())
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
        column = _column_from_utf16(doc.text.splitlines(), pos.line, pos.character) + 1
        sym = symbol_at(program, project.display(doc.path), line, column)
        return None if sym is None else (sym, program, project)

    def hover(self, doc: Document, pos: lsp.Position) -> lsp.Hover | None:
        found = self.symbol(doc, pos)
        if found is None:
            return None
        sym, program, _ = found
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                       value=hover_markdown(program, sym.task)),
            range=to_range(sym.span, doc.text.splitlines()),
        )

    def definition(self, doc: Document, pos: lsp.Position) -> lsp.Location | None:
        found = self.symbol(doc, pos)
        if found is None:
            return None
        sym, _, project = found
        target = (project.cwd / sym.task.path).resolve()
        lines = _lines_of(target, self.documents)
        return lsp.Location(uri=target.as_uri(),
                            range=to_range(sym.task.function.name_span, lines))

    # ---------------------------------------------------------------- code actions

    def code_actions(self, doc: Document, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        lines = doc.text.splitlines()
        actions: list[lsp.CodeAction] = []
        seen_files: set[str] = set()
        for d in params.context.diagnostics:
            code = str(d.code) if d.code is not None else None
            if d.source != SOURCE or code is None:
                continue
            line = d.range.start.line
            actions.append(_suppress_on_line(doc.uri, lines, line, code, d))
            if code not in seen_files:
                seen_files.add(code)
                actions.append(_suppress_in_file(doc.uri, lines, code, d))
        return actions


# -------------------------------------------------------------------- conversions


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _column_to_utf16(lines: list[str], line: int, column: int) -> int:
    """A 0-based character column of a 0-based line in UTF-16 code units (LSP's default)."""
    if 0 <= line < len(lines):
        return _utf16_len(lines[line][:column])
    return column


def _column_from_utf16(lines: list[str], line: int, units: int) -> int:
    if not 0 <= line < len(lines):
        return units
    text, count = lines[line], 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def to_range(span: Span, lines: list[str]) -> lsp.Range:
    start_line, end_line = span.line - 1, span.end_line - 1
    return lsp.Range(
        start=lsp.Position(start_line, _column_to_utf16(lines, start_line, span.column - 1)),
        end=lsp.Position(end_line, _column_to_utf16(lines, end_line, span.end_column - 1)),
    )


def to_lsp(d: Diagnostic, lines: list[str]) -> lsp.Diagnostic:
    message = d.message
    if d.chain:
        message += "\n" + "\n".join(f"  {c}" for c in d.chain)
    if d.help:
        message += f"\nhelp: {d.help}"
    return lsp.Diagnostic(
        range=to_range(d.span, lines),
        message=message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=lsp.CodeDescription(href=f"{HELP_BASE}/{d.code}.md"),
        source=SOURCE,
        data={"name": d.name, "task": d.task},
    )


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


def _edit(uri: str, start: lsp.Position, end: lsp.Position, text: str) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(start, end), text)]})


def _suppress_on_line(uri: str, lines: list[str], line: int, code: str,
                      d: lsp.Diagnostic) -> lsp.CodeAction:
    text = lines[line] if 0 <= line < len(lines) else ""
    m = _NOQA.search(text)
    end = lsp.Position(line, _utf16_len(text))
    if m is None:
        edit = _edit(uri, end, end, f"  # noqa: {code}")
    elif m.group("codes") is None:  # a bare noqa comment already suppresses every code
        edit = _edit(uri, end, end, "")
    else:
        at = lsp.Position(line, _utf16_len(text[: m.end("codes")]))
        edit = _edit(uri, at, at, f", {code}")
    return lsp.CodeAction(title=f"Suppress {code} on this line", kind=lsp.CodeActionKind.QuickFix,
                          diagnostics=[d], edit=edit)


def _suppress_in_file(uri: str, lines: list[str], code: str,
                      d: lsp.Diagnostic) -> lsp.CodeAction:
    at = 0  # after a shebang and an encoding line, which must stay first
    while at < len(lines) and at < 2 and (lines[at].startswith("#!")
                                          or re.match(r"#.*coding[:=]", lines[at])):
        at += 1
    pos = lsp.Position(at, 0)
    return lsp.CodeAction(title=f"Suppress {code} in this file",
                          kind=lsp.CodeActionKind.QuickFix, diagnostics=[d],
                          edit=_edit(uri, pos, pos, f"# flytec: ignore-file[{code}]\n"))
