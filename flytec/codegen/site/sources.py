"""The text of the project's files, read once each, for excerpts and source pages (read as
bytes and decoded, never imported)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

EXCERPT_BEFORE = 2
EXCERPT_AFTER = 2
EXCERPT_MAX = 12  # lines of a finding's span shown at most (the first ones)
LINE_MAX = 400  # characters of a line shown in an excerpt


class Sources:
    """Lines by file (display path); a notebook's lines by cell."""

    def __init__(self, cwd: Path, read: Callable[[str], bytes | None]) -> None:
        self.cwd = cwd
        self._read = read
        self._text: dict[str, list[str] | None] = {}
        self._cells: dict[str, dict[int, list[str]]] = {}
        self.problems: dict[str, str] = {}

    def data(self, path: str) -> bytes | None:
        got = self._read(path)
        if got is not None:
            return got
        p = Path(path)
        try:
            return (p if p.is_absolute() else self.cwd / p).read_bytes()
        except OSError as e:
            self.problems[path] = f"cannot read ({e.strerror or e})"
            return None

    def lines(self, path: str) -> list[str] | None:
        if path not in self._text:
            data = self.data(path)
            self._text[path] = None if data is None else data.decode(
                "utf-8", "replace").splitlines()
        return self._text[path]

    def cells(self, path: str) -> dict[int, list[str]]:
        got = self._cells.get(path)
        if got is None:
            from flytec.compiler.frontend.notebook import cell_lines

            data = self.data(path)
            got = {} if data is None else cell_lines(data)
            self._cells[path] = got
        return got

    def excerpt(self, path: str, line: int, end_line: int, cell: int | None = None,
                column: int = 1) -> list[tuple[int, str, bool]]:
        """The lines around a span: (number, text, inside the span); a long line cut to the
        part around ``column`` (the span's first line) or to its start."""
        lines = self.cells(path).get(cell, []) if cell is not None else self.lines(path)
        if not lines or line < 1:
            return []
        end = max(line, min(end_line, line + EXCERPT_MAX - 1))
        lo = max(1, line - EXCERPT_BEFORE)
        hi = min(len(lines), end + EXCERPT_AFTER)
        return [(n, _cut(lines[n - 1], column if n == line else 1), line <= n <= end)
                for n in range(lo, hi + 1)]


def _cut(text: str, column: int = 1) -> str:
    if len(text) <= LINE_MAX:
        return text
    start = max(0, min(column - 1 - LINE_MAX // 4, len(text) - LINE_MAX))
    head = "…" if start > 0 else ""
    tail = "…" if start + LINE_MAX < len(text) else ""
    return head + text[start:start + LINE_MAX] + tail
