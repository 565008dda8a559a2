"""Jupyter notebooks (nbformat 4) as modules: their code cells, in order, with a line map.

The notebook's JSON is parsed once with the standard library; only ``cells[*].cell_type``
and ``cells[*].source`` are looked at (outputs and attachments are never touched), plus the
notebook's ``metadata`` for the kernel's language. The code cells become one module, one
cell after the other, and :class:`~flytec.model.notebook.CellMap` maps its lines back to
``(cell, line)``.

IPython syntax is neutralised, line for line, so the module parses and its line numbers stay
those of the cells: line magics (``%pip install x``), shell escapes (``!ls``), help
(``obj?``, ``??obj``) and assignments from them (``files = !ls``) become ``pass`` (or
``files = ...``); a cell magic (``%%bash``) blanks its whole cell, except the magics that
run their body as Python (``%%time``, ``%%timeit``, ``%%capture``, ``%%prun``), whose body
is kept. Escapes are recognised only where a statement starts (not inside brackets, strings
or continued lines), as IPython does.

Each cell is parsed on its own first (Jupyter runs cells one at a time, so each must parse
alone): a cell with a syntax error is reported at that cell and left out of the module, and
the other cells are still checked.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flytec.compiler.frontend.hashing import MAX_BYTES, content_hash
from flytec.model.module import ModuleIR, ModuleProblem
from flytec.model.notebook import CellLines, CellMap
from flytec.model.span import Span

SUFFIX = ".ipynb"
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
_HELP = re.compile(r"(?:\?\??[A-Za-z_][\w.]*|[A-Za-z_][\w.]*(?:\(\))?\?\??)\s*")
_MAGIC_ASSIGN = re.compile(
    r"(?P<targets>[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[!%]"
)
# after the top-level "metadata" value, nbformat's JSON (keys sorted) has only these
_TAIL = re.compile(rb'\s*(?:,\s*"nbformat(?:_minor)?"\s*:\s*\d+\s*)*}\s*\Z')


def is_notebook(path: str) -> bool:
    return path.endswith(SUFFIX)


class NotebookError(Exception):
    """A file that is not a notebook flytec can read (with the file line, if known)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class Notebook:
    """What flytec reads of a notebook: its code cells (number, source) and its language."""

    cells: list[tuple[int, str]] = field(default_factory=list)
    language: str = "python"


def read_notebook(data: bytes) -> Notebook:
    """The code cells of a notebook's bytes; raises :class:`NotebookError`."""
    try:
        doc = json.loads(data)
    except UnicodeDecodeError as e:
        raise NotebookError(f"notebook is not valid UTF-8 JSON ({e.reason})") from e
    except json.JSONDecodeError as e:
        raise NotebookError(f"notebook is not valid JSON: {e.msg}", e.lineno, e.colno) from e
    except RecursionError as e:
        raise NotebookError("notebook JSON is nested too deeply") from e
    if not isinstance(doc, dict):
        raise NotebookError("notebook is not a JSON object")
    if "worksheets" in doc or doc.get("nbformat", 4) != 4:
        raise NotebookError(
            f"notebook format {doc.get('nbformat')} is not supported (nbformat 4 is); "
            "convert it with `jupyter nbconvert --to notebook --nbformat 4`"
        )
    cells = doc.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("notebook has no `cells` list")
    nb = Notebook(language=_language(doc.get("metadata")) or "python")
    for i, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        elif not isinstance(src, str):
            continue
        nb.cells.append((i, src))
    return nb


def _language(meta: Any) -> str | None:
    """The kernel's language from a notebook's metadata, if it says."""
    if not isinstance(meta, dict):
        return None
    for key, sub in (("kernelspec", "language"), ("language_info", "name")):
        d = meta.get(key)
        if isinstance(d, dict) and isinstance(d.get(sub), str) and d[sub].strip():
            return str(d[sub]).strip()
    return None


def kernel_language(data: bytes) -> str:
    """The notebook's kernel language, cheaply: nbformat writes the top-level ``metadata``
    last but for the version numbers, so it is read from the end of the file; a notebook
    written otherwise is parsed whole. ``"python"`` when the notebook does not say (or is not
    readable: reading it reports why)."""
    i = data.rfind(b'"metadata"')
    if i != -1:
        tail = data[i + len(b'"metadata"'):]
        try:
            text = tail.decode("utf-8")
            colon = len(text) - len(text.lstrip())
            if text[colon:colon + 1] == ":":
                rest = text[colon + 1:]
                start = len(rest) - len(rest.lstrip())
                meta, end = json.JSONDecoder().raw_decode(rest, start)
                if _TAIL.match(rest[end:].encode("utf-8")):
                    return _language(meta) or "python"
        except (UnicodeDecodeError, ValueError, RecursionError):
            pass
    try:
        return read_notebook(data).language
    except NotebookError:
        return "python"


def is_python(language: str) -> bool:
    return language.lower() in ("python", "python3", "ipython", "ipython3")


# ------------------------------------------------------------------- cells -> module


@dataclass
class _Scan:
    """Where a line starts: inside brackets, a string, or a continued line."""

    depth: int = 0
    quote: str | None = None
    continued: bool = False

    @property
    def at_statement(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.continued

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        quote = self.quote
        depth = self.depth
        comment = False
        while i < n:
            ch = line[i]
            if quote is not None:
                if ch == "\\":
                    i += 2
                    continue
                if line.startswith(quote, i):
                    i += len(quote)
                    quote = None
                    continue
                i += 1
                continue
            if ch == "#":
                comment = True
                break
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(depth - 1, 0)
            elif ch in "\"'":
                if line.startswith(ch * 3, i):
                    quote = ch * 3
                    i += 3
                    continue
                quote = ch
            i += 1
        backslash = not comment and line.endswith("\\")
        if quote in ('"', "'") and not backslash:
            quote = None  # an unterminated string: the parser reports it
        self.quote, self.depth = quote, depth
        self.continued = backslash and quote is None


def _neutralise(lines: list[str]) -> list[str]:
    """A cell's lines with IPython syntax replaced by Python of the same line count."""
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return [""] * len(lines)
        k = next(j for j, ln in enumerate(lines) if ln.strip())
        return [""] * (k + 1) + _neutralise(lines[k + 1:])
    out: list[str] = []
    scan = _Scan()
    in_magic = False
    for line in lines:
        if in_magic:  # a magic continued with a backslash
            out.append("")
            in_magic = line.rstrip().endswith("\\")
            continue
        if scan.at_statement:
            stripped = line.lstrip()
            indent = line[: len(line) - len(stripped)]
            if stripped.startswith(("%", "!")) or (
                "?" in stripped and _HELP.fullmatch(stripped)
            ):
                out.append(indent + "pass")
                in_magic = line.rstrip().endswith("\\")
                continue
            m = _MAGIC_ASSIGN.match(stripped)
            if m:
                out.append(f"{indent}{m.group('targets')} = ...")
                in_magic = line.rstrip().endswith("\\")
                continue
        out.append(line)
        scan.feed(line)
    return out


@dataclass
class NotebookModule:
    """The module built from a notebook's code cells."""

    source: str
    cells: CellMap
    problems: list[ModuleProblem]  # syntax errors of single cells (module lines)
    dropped: list[int] = field(default_factory=list)  # cells left out by ``drop``


def _lines(src: str) -> list[str]:
    text = src.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def build_module(nb: Notebook, drop: Callable[[ast.Module], bool] | None = None
                 ) -> NotebookModule:
    """The module of a notebook's code cells; with ``drop``, the cells it picks (given their
    syntax tree) are left out, their lines blank (``flytec run`` leaves out driver cells)."""
    out: list[str] = []
    cells: list[CellLines] = []
    problems: list[ModuleProblem] = []
    dropped: list[int] = []
    magics: set[int] = set()
    for number, src in nb.cells:
        original = _lines(src)
        lines = _neutralise(original)
        if not lines:
            continue
        first = len(out) + 1
        magics.update(first + i for i, (a, b) in enumerate(zip(original, lines)) if a != b)
        try:
            tree = ast.parse("\n".join(lines) + "\n")
            if drop is not None and drop(tree):
                lines = [""] * len(lines)
                dropped.append(number)
        except SyntaxError as e:
            line = min(max(e.lineno or 1, 1), len(lines))
            problems.append(ModuleProblem(
                "syntax", f"syntax error: {e.msg}",
                Span.point(first + line - 1, max(e.offset or 1, 1))))
            lines = [""] * len(lines)  # left out; the other cells are still checked
        except (ValueError, MemoryError, RecursionError):
            pass  # null bytes, nesting: the module's parse reports them
        out.extend(lines)
        cells.append(CellLines(number, first, len(out)))
    source = "\n".join(out) + "\n" if out else ""
    return NotebookModule(source, CellMap(tuple(cells), nb.language, frozenset(magics)),
                          problems, dropped)


def parse_notebook(data: bytes, path: str, module: str, is_package: bool) -> ModuleIR:
    """Parse a notebook's code cells as one module. Problems (not a notebook, a cell's syntax
    error) become ``ModuleIR.problems``, never exceptions."""
    from flytec.compiler.frontend.parse import parse_source

    try:
        nb = read_notebook(data)
    except NotebookError as e:
        ir = ModuleIR(path=path, module=module, is_package=False,
                      content_hash=content_hash(data), mentions_flyte=False)
        ir.problems.append(ModuleProblem("syntax", str(e), Span.point(e.line, e.column)))
        return ir
    built = build_module(nb)
    ir = ModuleIR(path=path, module=module, is_package=False,  # the code's hash, not the
                  content_hash=content_hash(built.source.encode("utf-8", "surrogatepass")),
                  mentions_flyte=False)  # outputs'

    ir.notebook = built.cells
    if not is_python(nb.language):
        return ir
    size = len(built.source.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        ir.problems.append(ModuleProblem(
            "too-large",
            f"the notebook's code is {size / (1024 * 1024):.1f} MiB, over flytec's"
            f" {MAX_BYTES // (1024 * 1024)} MiB limit; it was not analysed",
            Span.point(1)))
        return ir
    if not built.source.strip():
        ir.problems.append(ModuleProblem(
            "empty", "notebook has no code; there is nothing to check", Span.point(1)))
        ir.notebook = None  # no cell to point at
        return ir
    ir = parse_source(built.source, path, module, False, ir=ir)
    ir.problems[:0] = built.problems
    ir.notebook = built.cells
    return ir


def notebook_bytes(cells: list[tuple[str, str]], language: str = "python") -> bytes:
    """An nbformat 4 notebook of ``cells`` (``(cell_type, source)``, in order: ``"code"``,
    ``"markdown"``...), as an editor holds it unsaved: what :func:`read_notebook` reads back,
    with the same cell numbers."""
    doc = {
        "cells": [{"cell_type": kind, "metadata": {}, "source": source,
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                  for kind, source in cells],
        "metadata": {"kernelspec": {"language": language}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def cell_lines(data: bytes) -> dict[int, list[str]]:
    """Each code cell's original lines, by cell number (for showing a finding's line)."""
    try:
        nb = read_notebook(data)
    except NotebookError:
        return {}
    return {number: _lines(src) for number, src in nb.cells}


def worth_checking(data: bytes) -> bool:
    """Whether a requested notebook is analysed: a Python notebook mentioning flyte (or
    decorating with ``.task``), as for ``.py`` files."""
    if b"flyte" not in data and b".task" not in data:
        return False
    return is_python(kernel_language(data))


def skip_note(shown: str, data: bytes) -> str | None:
    """The one-line note for a notebook left out because its kernel is not Python."""
    language = kernel_language(data)
    if is_python(language):
        return None
    return f"{shown}: the notebook's kernel language is {language}, not Python; skipped"


def module_hash(data: bytes) -> str:
    """The content hash :func:`parse_notebook` gives the module of these bytes (its code's,
    not its outputs')."""
    try:
        nb = read_notebook(data)
    except NotebookError:
        return content_hash(data)
    return content_hash(build_module(nb).source.encode("utf-8", "surrogatepass"))


def cell_parses(src: str) -> bool:
    """Whether a code cell parses alone, its IPython syntax neutralised."""
    try:
        ast.parse("\n".join(_neutralise(_lines(src))) + "\n")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True
