"""Positions between the model (1-based lines, columns counting characters) and LSP (0-based
lines, columns in UTF-16 code units, the protocol's default encoding), and text edits."""

from __future__ import annotations

import bisect

from lsprotocol import types as lsp

from flytec.analyzer.fix import line_starts
from flytec.model.span import Span


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def column_to_utf16(lines: list[str], line: int, column: int) -> int:
    """A 0-based character column of a 0-based line in UTF-16 code units."""
    if 0 <= line < len(lines):
        return utf16_len(lines[line][:column])
    return column


def column_from_utf16(lines: list[str], line: int, units: int) -> int:
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
        start=lsp.Position(start_line, column_to_utf16(lines, start_line, span.column - 1)),
        end=lsp.Position(end_line, column_to_utf16(lines, end_line, span.end_column - 1)),
    )


def _position(text: str, starts: list[int], offset: int) -> lsp.Position:
    line = bisect.bisect_right(starts, offset) - 1
    return lsp.Position(line, utf16_len(text[starts[line]:offset]))


def text_edit(old: str, new: str) -> lsp.TextEdit | None:
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
        range=lsp.Range(_position(old, starts, a), _position(old, starts, end)),
        new_text=new[a:len(new) - b],
    )
