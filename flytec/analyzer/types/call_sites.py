"""Find the syntax a mypy message points at: the expression, its call, ``await`` and target.

mypy reports 1-based columns that are UTF-8 byte offsets (the end inclusive), which is what
Python's ``ast`` uses (0-based, end exclusive), so positions compare directly.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flytec.model.span import Span

_TASK_METHODS = ("aio", "forward")


@dataclass(frozen=True, slots=True)
class Callee:
    """What a call calls: a dotted name (``("other", "add")``) and how.

    ``method`` is ``"aio"``/``"forward"`` for ``t.aio(...)``, ``"override"`` for
    ``t.override(...)(...)``, else ``""``.
    """

    parts: tuple[str, ...]
    method: str = ""

    @property
    def text(self) -> str:
        return ".".join(self.parts)


class SourceFile:
    """A parsed file with a parent map; ``tree`` is None when it does not parse."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines()
        try:
            self.tree: ast.Module | None = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = None
        self._parents: dict[ast.AST, ast.AST] = {}
        if self.tree is not None:
            for parent in ast.walk(self.tree):
                for child in ast.iter_child_nodes(parent):
                    self._parents[child] = parent

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(node)

    def node_at(self, line: int, column: int, end_line: int, end_column: int) -> ast.expr | None:
        """The expression mypy's span (1-based, end inclusive) denotes.

        The expression that starts there and ends there exactly, else the smallest one
        that contains the span.
        """
        if self.tree is None:
            return None
        start = (line, column - 1)
        end = (end_line, end_column)
        best: ast.expr | None = None
        best_size: tuple[int, int] | None = None
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.expr) or node.end_lineno is None:
                continue
            node_start = (node.lineno, node.col_offset)
            node_end = (node.end_lineno, node.end_col_offset or 0)
            if node_start == start and node_end == end:
                return node
            if node_start <= start and end <= node_end:
                size = (node_end[0] - node_start[0], node_end[1] - node_start[1])
                if best_size is None or size < best_size:
                    best, best_size = node, size
        return best

    def char_span(self, line: int, column: int, end_line: int, end_column: int) -> Span:
        """mypy's byte-based, end-inclusive span as a character-based, end-exclusive Span."""
        return Span(
            line,
            self._char_column(line, column - 1) + 1,
            end_line,
            self._char_column(end_line, end_column) + 1,
        )

    def _char_column(self, line: int, byte_offset: int) -> int:
        if not 1 <= line <= len(self.lines):
            return max(byte_offset, 0)
        data = self.lines[line - 1].encode("utf-8")
        return len(data[: max(byte_offset, 0)].decode("utf-8", errors="ignore"))


def callee(call: ast.Call) -> Callee | None:
    """The dotted name a call calls, seeing through ``.aio``, ``.forward`` and ``.override``."""
    func = call.func
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute):
        if func.func.attr == "override":
            parts = dotted(func.func.value)
            return Callee(parts, "override") if parts else None
        return None
    parts = dotted(func)
    if not parts:
        return None
    if len(parts) > 1 and parts[-1] in _TASK_METHODS:
        return Callee(parts[:-1], parts[-1])
    return Callee(parts)


def dotted(node: ast.expr) -> tuple[str, ...]:
    """``a.b.c`` as ``("a", "b", "c")``; ``()`` for anything else."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ()
    names.append(node.id)
    return tuple(reversed(names))


def strip_await(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Await) else node


def argument_of(source: SourceFile, node: ast.expr) -> tuple[ast.Call, int | None, str | None]:
    """If ``node`` is an argument of a call: (the call, its position, its keyword)."""
    parent = source.parent(node)
    if isinstance(parent, ast.keyword):
        call = source.parent(parent)
        if isinstance(call, ast.Call):
            return call, None, parent.arg
    if isinstance(parent, ast.Starred):
        node, parent = parent, source.parent(parent)
    if isinstance(parent, ast.Call) and node in parent.args:
        return parent, parent.args.index(node), None
    raise LookupError("not an argument")


def is_gather(call: ast.Call) -> bool:
    parts = dotted(call.func)
    return bool(parts) and parts[-1] == "gather" and parts[0] in ("asyncio", "gather")


def is_flyte_map(call: ast.Call) -> bool:
    parts = dotted(call.func)
    if parts and parts[-1] == "aio":
        parts = parts[:-1]
    return bool(parts) and parts[-1] == "map" and (len(parts) == 1 or parts[0] == "flyte")


def enclosing_statement(source: SourceFile, node: ast.AST) -> ast.stmt | None:
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = source.parent(current)
    return current
