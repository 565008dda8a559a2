"""Source locations."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A range in a source file. Lines and columns are 1-based; the end is exclusive.

    Columns count characters (not bytes), as editors and SARIF do. A NamedTuple, so that
    the millions of spans in cached IR pickle and unpickle at C speed.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(line: int, column: int = 1) -> Span:
        return Span(line, column, line, column + 1)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


UNKNOWN_SPAN = Span(1, 1, 1, 1)
