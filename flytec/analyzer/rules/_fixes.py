"""Helpers for rules that offer fixes: where a node sits, and the edits of common rewrites.

Edits are built from the IR's spans (libcst positions) and the file's text
(:meth:`RuleContext.source`); a helper returns None when the rewrite is not certain to be
right (an unmodelled parent, a generator expression, text that is not what was expected),
and the rule then reports its finding without a fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flytec.analyzer.fix import EditError, line_starts, offset
from flytec.model import body as ir
from flytec.model.fix import Edit
from flytec.model.span import Span


@dataclass
class Source:
    """A file's text with span arithmetic."""

    text: str

    def __post_init__(self) -> None:
        self.starts = line_starts(self.text)

    def at(self, line: int, column: int) -> int:
        return offset(self.starts, self.text, line, column)

    def get(self, span: Span) -> str:
        try:
            return self.text[self.at(span.line, span.column):self.at(span.end_line,
                                                                      span.end_column)]
        except EditError:
            return ""

    def position(self, off: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= off:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, off - self.starts[lo] + 1

    def span_of(self, a: int, b: int) -> Span:
        return Span(*self.position(a), *self.position(b))

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def indent(self, line: int) -> str:
        t = self.line_text(line)
        return t[: len(t) - len(t.lstrip(" \t"))]

    def newline(self) -> str:
        m = re.search(r"\r\n|\r|\n", self.text)
        return m.group(0) if m else "\n"


def locate(body: list[ir.Stmt], target: object) -> tuple[ir.Stmt, list[ir.Expr]] | None:
    """The statement holding expression ``target`` (by identity) and the expressions
    around it, outermost first (not ``target`` itself); None when it is not in ``body``."""
    for s in ir.walk_stmts(body):
        for root in ir.stmt_exprs(s):
            path = _path(root, target)
            if path is not None:
                return s, path
    return None


def _path(root: ir.Expr, target: object) -> list[ir.Expr] | None:
    stack: list[tuple[ir.Expr, list[ir.Expr]]] = [(root, [])]
    while stack:
        e, above = stack.pop()
        if e is target:
            return above
        for c in ir.iter_child_exprs(e):
            stack.append((c, [*above, e]))
    return None


def needs_parens(node: ir.Expr, parent: ir.Expr | None) -> bool | None:
    """Must ``await node`` be parenthesized where ``node`` sits? None: cannot tell."""
    if parent is None:
        return False
    if isinstance(parent, ir.Unknown):
        return None
    if isinstance(parent, ir.Attribute | ir.Subscript):
        return parent.value is node
    if isinstance(parent, ir.Call):
        return parent.func is node
    return False


def awaitable_here(fn: ir.FunctionDef, above: list[ir.Expr]) -> bool:
    """Can an ``await`` go at this place of ``fn``: an async def, not inside a lambda or a
    generator expression (which would turn into an async generator)?"""
    if not fn.is_async:
        return False
    return not any(isinstance(e, ir.Lambda | ir.Unknown)
                   or (isinstance(e, ir.Comp) and e.kind == "gen") for e in above)


def await_edits(node: ir.Expr, above: list[ir.Expr], span: Span | None = None) -> list[Edit] | None:
    """Edits writing ``await`` before ``node`` (in parentheses when its parent needs them)."""
    parent = above[-1] if above else None
    if isinstance(parent, ir.Await):
        return []  # already awaited (``await sync_task(...)``): only ``.aio`` is missing
    parens = needs_parens(node, parent)
    if parens is None:
        return None
    sp = span or node.span
    if parens:
        return [Edit.insert(sp.line, sp.column, "(await "),
                Edit.insert(sp.end_line, sp.end_column, ")")]
    return [Edit.insert(sp.line, sp.column, "await ")]


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")


def keyword_span(src: Source, value: Span, keyword: str) -> Span | None:
    """The span of ``keyword`` in ``keyword=value`` (the name only), from the value's span."""
    try:
        end = src.at(value.line, value.column)
    except EditError:
        return None
    before = src.text[:end].rstrip()
    if not before.endswith("="):
        return None
    name_end = len(before[:-1].rstrip())
    m = _IDENT.search(src.text[:name_end])
    if m is None or m.group(0) != keyword:
        return None
    return src.span_of(m.start(), name_end)


def argument_insertion(src: Source, call: ir.Call, after_positional: bool = False) -> Edit | None:
    """Where a new ``name=value`` argument of ``call`` goes: after its last positional
    argument (``after_positional``) or its last argument; the content is ``", "`` and the
    caller appends the text. None when the call's text is not understood."""
    text = src.get(call.span)
    if not text.endswith(")"):
        return None
    args = call.args
    anchor: ir.Arg | None = None
    if after_positional:
        pos = [a for a in args if a.keyword is None and not a.star]
        anchor = pos[-1] if pos else None
        if anchor is not None and any(a.star for a in args[args.index(anchor):]):
            anchor = None
    elif args:
        anchor = args[-1]
    if anchor is not None:
        sp = anchor.value.span
        return Edit.insert(sp.end_line, sp.end_column, ", ")
    if args:
        return None
    # no arguments: before the closing parenthesis
    end = call.span
    return Edit.insert(end.end_line, end.end_column - 1, "")


def block_of(body: list[ir.Stmt], stmt: ir.Stmt) -> list[ir.Stmt] | None:
    """The statement list that holds ``stmt`` (by identity)."""
    stack = [body]
    while stack:
        block = stack.pop()
        if any(s is stmt for s in block):
            return block
        for s in block:
            stack.extend(ir.child_bodies(s))
    return None


def next_statement(body: list[ir.Stmt], stmt: ir.Stmt) -> ir.Stmt | None:
    block = block_of(body, stmt)
    if block is None:
        return None
    i = next(i for i, s in enumerate(block) if s is stmt)
    return block[i + 1] if i + 1 < len(block) else None
