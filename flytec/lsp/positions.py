"""Positions between the model (1-based lines, columns counting characters) and LSP (0-based
lines, columns in the negotiated position encoding: UTF-16 code units by default, UTF-8 bytes
or UTF-32 code points when the client prefers them), and text edits."""

from __future__ import annotations

import bisect

from lsprotocol import types as lsp

from flytec.analyzer.fix import line_starts
from flytec.model.span import Span

UTF16 = "utf-16"


def units(s: str, encoding: str = UTF16) -> int:
    """The length of ``s`` in the encoding's units."""
    if encoding == "utf-32":
        return len(s)
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _unit(ch: str, encoding: str) -> int:
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return len(ch.encode("utf-8", "surrogatepass"))
    return 2 if ord(ch) > 0xFFFF else 1


def column_to_units(lines: list[str], line: int, column: int, encoding: str = UTF16) -> int:
    """A 0-based character column of a 0-based line in the encoding's units."""
    if 0 <= line < len(lines):
        return units(lines[line][:column], encoding)
    return column


def column_from_units(lines: list[str], line: int, count: int, encoding: str = UTF16) -> int:
    """The 0-based character column at ``count`` units into a 0-based line."""
    if not 0 <= line < len(lines):
        return count
    text, seen = lines[line], 0
    for i, ch in enumerate(text):
        if seen >= count:
            return i
        seen += _unit(ch, encoding)
    return len(text)


def to_range(span: Span, lines: list[str], encoding: str = UTF16) -> lsp.Range:
    start_line, end_line = span.line - 1, span.end_line - 1
    return lsp.Range(
        start=lsp.Position(start_line,
                           column_to_units(lines, start_line, span.column - 1, encoding)),
        end=lsp.Position(end_line,
                         column_to_units(lines, end_line, span.end_column - 1, encoding)),
    )


def _position(text: str, starts: list[int], offset: int, encoding: str) -> lsp.Position:
    line = bisect.bisect_right(starts, offset) - 1
    return lsp.Position(line, units(text[starts[line]:offset], encoding))


def text_edit(old: str, new: str, encoding: str = UTF16) -> lsp.TextEdit | None:
    """One edit turning ``old`` into ``new``: the changed middle, between their common
    prefix and suffix (None when they are equal)."""
    if old == new:
        return None
    n = min(len(old), len(new))
    a = 0
    while a < n and old[a] == new[a]:
        a += 1
    b = 0
    while b < n - a and old[-1 - b] == new[-1 - b]:
        b += 1
    if 0 < a < len(old) and old[a - 1] == "\r" and old[a] == "\n":
        a -= 1  # never between the two characters of a \r\n line break
    end = len(old) - b
    if 0 < end < len(old) and old[end - 1] == "\r" and old[end] == "\n":
        end += 1
        b -= 1
    starts = line_starts(old)
    return lsp.TextEdit(
        range=lsp.Range(_position(old, starts, a, encoding),
                        _position(old, starts, end, encoding)),
        new_text=new[a:len(new) - b],
    )
