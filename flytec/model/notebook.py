"""Notebooks: where each line of the module built from a notebook's code cells comes from.

A Jupyter notebook (``.ipynb``) is checked as one module: its code cells, in order, one
after the other. :class:`CellMap` maps a line of that module back to the cell it came from
and the line inside the cell, so that diagnostics point at ``flow.ipynb:cell 3:2:5``.

Cells are numbered from 1 among *all* the notebook's cells (Markdown ones included), as
Jupyter shows them and as ruff reports them; lines and columns inside a cell are 1-based.
A finding's fix is moved into its cells too (:meth:`CellMap.fix`).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from typing import NamedTuple

from flytec.model.diagnostic import Diagnostic
from flytec.model.fix import Edit, Fix
from flytec.model.span import Span


class CellLines(NamedTuple):
    """One non-empty code cell's place in the module: its number, its first and last line."""

    cell: int  # 1-based, among all cells
    first: int  # module line of the cell's line 1
    last: int  # module line of the cell's last line


@dataclasses.dataclass(frozen=True)
class CellMap:
    """The cells of a notebook's module, in module order (small: one entry per code cell)."""

    cells: tuple[CellLines, ...]
    language: str = "python"  # the kernel's language, as the notebook names it
    # module lines that are neutralised IPython syntax (``%pip``, ``!ls``, a ``%%bash``
    # cell): the module's text there is not the cell's, so no fix may change them
    magics: frozenset[int] = frozenset()

    def locate(self, line: int) -> tuple[int, int] | None:
        """``(cell, line in cell)`` of a module line, or None when no cell holds it."""
        i = bisect_right(self.cells, line, key=_first) - 1
        if i < 0:
            return None
        c = self.cells[i]
        return (c.cell, line - c.first + 1) if line <= c.last else None

    def module_line(self, cell: int, line: int) -> int | None:
        """The module line of ``line`` in ``cell`` (the inverse of :meth:`locate`)."""
        for c in self.cells:
            if c.cell == cell:
                n = c.first + line - 1
                return n if c.first <= n <= c.last else None
        return None

    def span(self, span: Span) -> tuple[int, Span] | None:
        """A module span as ``(cell, span inside the cell)``; a span that runs into a later
        cell is cut at the end of its first cell."""
        start = self.locate(span.line)
        if start is None:
            return None
        cell, line = start
        end = self.locate(span.end_line)
        if end is not None and end[0] == cell:
            return cell, Span(line, span.column, end[1], span.end_column)
        return cell, Span(line, span.column, line, span.column + 1)

    def diagnostic(self, d: Diagnostic) -> Diagnostic:
        """``d`` located in its cell (unchanged if already there or outside every cell).

        Lines named in its message, help and chain are of the same module: ``line 28``
        becomes ``cell 6, line 4`` and ``flow.ipynb:28`` becomes ``flow.ipynb:cell 6:4``."""
        if d.cell is not None:
            return d
        got = self.span(d.span)
        if got is None:
            return d
        cell, span = got
        return dataclasses.replace(
            d, cell=cell, span=span, fix=None if d.fix is None else self.fix(d.fix, cell),
            message=self.text(d.message, d.path),
            help=self.text(d.help, d.path), chain=tuple(self.text(c, d.path) for c in d.chain))

    def fix(self, fix: Fix, home: int | None = None) -> Fix:
        """``fix`` with its edits in cell coordinates (an edit that already names its cell is
        kept); ``blocked`` says why when one edit cannot be: it runs from one cell into the
        next, or changes a line that is neutralised IPython syntax.

        An insertion at the start of a cell's first line is ambiguous (the end of the cell
        before, or the start of this one): it goes at the end of the cell before when that is
        ``home``, the finding's cell (a fix appending to the finding's block), else here."""
        edits: list[Edit] = []
        for e in fix.edits:
            if e.cell is not None:
                edits.append(e)
                continue
            moved = self._edit(e, home)
            if isinstance(moved, str):
                return dataclasses.replace(fix, blocked=moved)
            edits.append(moved)
        return dataclasses.replace(fix, edits=tuple(edits))

    def _edit(self, e: Edit, home: int | None = None) -> Edit | str:
        s = e.span
        insert = (s.line, s.column) == (s.end_line, s.end_column)
        if insert and s.column == 1:
            prev = next((c for c in self.cells if c.last == s.line - 1), None)
            if prev is not None and (prev.cell == home or self.locate(s.line) is None):
                n = prev.last - prev.first + 2  # after the cell's last line
                return Edit(Span(n, 1, n, 1), e.content, prev.cell)
        start = self.locate(s.line)
        if start is None:
            return "it would edit outside every code cell"
        cell, line = start
        c = next(c for c in self.cells if c.cell == cell)
        end_line, end_column = s.end_line, s.end_column
        if end_column == 1 and end_line == c.last + 1 and (end_line, end_column) != (
                s.line, s.column):
            pass  # up to the end of the cell's last line, its newline included
        elif not c.first <= end_line <= c.last:
            return "it would cross a cell boundary"
        # the lines it changes: those its range covers (a line's end, where its newline
        # starts, excluded); an insertion, its line, unless it puts whole lines before it
        if insert:
            whole = s.column == 1 and e.content.endswith("\n")
            touched = range(s.line, s.line + (not whole and bool(e.content)))
        else:
            touched = range(s.line, end_line + (end_column > 1))
        if any(n in self.magics for n in touched):
            return "it would change an IPython magic line"
        return Edit(Span(line, s.column, end_line - c.first + 1, end_column), e.content, cell)

    def insertion_point(self, line: int) -> tuple[int, int] | None:
        """Where text inserted before module line ``line`` goes, as ``(cell, line)``: at the
        end of the cell holding the line before (an import after a cell's last import stays
        in that cell), else at ``line``'s place; None for an empty map, or when that place
        is atop a cell that starts with IPython syntax (a ``%%time`` must stay first)."""
        before = self.locate(line - 1) if line > 1 else None
        if before is not None:
            return before[0], before[1] + 1
        here = self.locate(line)
        if here is None and self.cells:
            line, here = self.cells[0].first, (self.cells[0].cell, 1)
        if here is None or (here[1] == 1 and line in self.magics):
            return None
        return here

    def text(self, text: str, path: str) -> str:
        """Module lines named in ``text`` (``line N``, ``path:N``) as lines of their cells."""
        if "line " not in text and f"{path}:" not in text:
            return text

        def in_cell(m: re.Match[str], form: str) -> str:
            got = self.locate(int(m.group(1)))
            return m.group(0) if got is None else form.format(*got)

        text = _LINE.sub(lambda m: in_cell(m, "cell {0}, line {1}"), text)
        return re.sub(re.escape(path) + r":(\d+)\b(?!:)",
                      lambda m: in_cell(m, path + ":cell {0}:{1}"), text)


_LINE = re.compile(r"\bline (\d+)\b")


def _first(c: CellLines) -> int:
    return c.first

