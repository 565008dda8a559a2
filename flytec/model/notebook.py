"""Notebooks: where each line of the module built from a notebook's code cells comes from.

A Jupyter notebook (``.ipynb``) is checked as one module: its code cells, in order, one
after the other. :class:`CellMap` maps a line of that module back to the cell it came from
and the line inside the cell, so that diagnostics point at ``flow.ipynb:cell 3:2:5``.

Cells are numbered from 1 among *all* the notebook's cells (Markdown ones included), as
Jupyter shows them and as ruff reports them; lines and columns inside a cell are 1-based.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from typing import NamedTuple

from flytec.model.diagnostic import Diagnostic
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
            d, cell=cell, span=span, message=self.text(d.message, d.path),
            help=self.text(d.help, d.path), chain=tuple(self.text(c, d.path) for c in d.chain))

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

