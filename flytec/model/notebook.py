"""Notebooks: where each line of the module built from a notebook's code cells comes from.

A Jupyter notebook (``.ipynb``) is checked as one module: its code cells, in order, one
after the other. :class:`CellMap` maps a line of that module back to the cell it came from
and the line inside the cell, so that diagnostics point at ``flow.ipynb:cell 3:2:5``.

Cells are numbered from 1 among *all* the notebook's cells (Markdown ones included), as
Jupyter shows them and as ruff reports them; lines and columns inside a cell are 1-based.
"""

from __future__ import annotations

import dataclasses
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
        """``d`` located in its cell (unchanged if already there or outside every cell)."""
        if d.cell is not None:
            return d
        got = self.span(d.span)
        if got is None:
            return d
        cell, span = got
        return dataclasses.replace(d, cell=cell, span=span)


def _first(c: CellLines) -> int:
    return c.first

