"""Source positions for the libcst frontend, without libcst's metadata providers.

libcst's ``PositionProvider`` regenerates the whole module to compute positions, which costs
about twice the parse itself. flytec needs positions only for statements and for a handful of
expression kinds, and CPython's ``ast`` module computes those for a tenth of a libcst parse.
So the frontend parses with libcst (the tree it lowers) and indexes ``ast`` positions beside
it: statements are matched by their pre-order rank, and expressions by their rank per kind
inside their statement. Where the two trees ever disagree the spans of that statement fall
back to the statement's own span, and where ``ast`` cannot parse the file (a newer grammar)
the frontend uses libcst's provider instead (see :mod:`flytec.compiler.frontend.lower`).
"""

from __future__ import annotations

import ast
from collections import defaultdict

from flytec.model.span import Span

# ast expression classes -> the kind names the lowerer uses for the same libcst nodes.
EXPR_KINDS: dict[type[ast.AST], str] = {
    ast.Name: "Name",
    ast.Attribute: "Attribute",
    ast.Call: "Call",
    ast.Await: "Await",
    ast.Subscript: "Subscript",
    ast.Lambda: "Lambda",
    ast.ListComp: "comp",
    ast.SetComp: "comp",
    ast.DictComp: "comp",
    ast.GeneratorExp: "comp",
    ast.IfExp: "IfExp",
    ast.BinOp: "BinOp",
    ast.Compare: "Compare",
    ast.UnaryOp: "UnaryOp",
    ast.NamedExpr: "NamedExpr",
    ast.List: "List",
    ast.Set: "Set",
    ast.Dict: "Dict",
    ast.Yield: "Yield",
    ast.YieldFrom: "Yield",
    ast.arg: "arg",
    ast.ExceptHandler: "handler",
    ast.Constant: "Constant",
    ast.JoinedStr: "fstring",
}

_BODY_FIELDS = ("body", "orelse", "finalbody")


class LineIndex:
    """Converts ``ast``'s UTF-8 byte columns into 1-based character columns."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()
        # byte and character columns differ only on lines with non-ASCII characters
        self.ascii = source.isascii()

    def col(self, line: int, byte_col: int) -> int:
        if not self.ascii and 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():
                return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1
        return byte_col + 1

    def span(self, node: ast.AST) -> Span:
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = getattr(node, "col_offset", 0)
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = col + 1
        return Span(line, self.col(line, col), end_line, self.col(end_line, end_col))


class StmtPositions:
    """Expression positions inside one statement, by kind and rank."""

    __slots__ = ("by_kind", "used", "ok", "lines")

    def __init__(self, by_kind: dict[str, list[_Raw]], lines: LineIndex) -> None:
        self.by_kind = by_kind
        self.lines = lines
        self.used: dict[str, int] = defaultdict(int)
        self.ok = True

    def take(self, kind: str) -> Span | None:
        spans = self.by_kind.get(kind)
        i = self.used[kind]
        self.used[kind] = i + 1
        if spans is None or i >= len(spans):
            self.ok = False
            return None
        line, col, neg_end_line, neg_end_col = spans[i]
        lines = self.lines
        if lines.ascii:  # byte columns are character columns
            return Span(line, col + 1, -neg_end_line, 1 - neg_end_col)
        end_line = -neg_end_line
        return Span(line, lines.col(line, col), end_line, lines.col(end_line, -neg_end_col))

    def balanced(self) -> bool:
        if not self.ok:
            return False
        for kind, spans in self.by_kind.items():
            if self.used.get(kind, 0) != len(spans):
                return False
        return True


class AstIndex:
    """Statements of a module in pre-order, each with its span and expression positions."""

    def __init__(self, tree: ast.Module, source: str) -> None:
        self.lines = LineIndex(source)
        self.stmts: list[ast.stmt] = []
        self._collect(tree.body)
        self._next = 0

    def _collect(self, body: list[ast.stmt]) -> None:
        for node in body:
            self.stmts.append(node)
            if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                self._collect(node.body)  # type: ignore[attr-defined]
                for h in node.handlers:  # type: ignore[attr-defined]
                    self._collect(h.body)
                self._collect(node.orelse)  # type: ignore[attr-defined]
                self._collect(node.finalbody)  # type: ignore[attr-defined]
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    self._collect(case.body)
            else:
                for f in _BODY_FIELDS:
                    sub = getattr(node, f, None)
                    if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt):
                        self._collect(sub)

    def next_stmt(self) -> ast.stmt | None:
        i = self._next
        self._next = i + 1
        return self.stmts[i] if i < len(self.stmts) else None

    def exhausted(self) -> bool:
        return self._next == len(self.stmts)

    def header_positions(self, stmt: ast.stmt) -> StmtPositions:
        """Positions of the expressions of ``stmt`` outside its nested statements."""
        found: dict[str, list[_Raw]] = {}
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            found["handler"] = [_raw(h) for h in stmt.handlers]  # type: ignore[attr-defined]
        # The literal parts of an f-string and its format specs are not matched: libcst
        # models them differently from ast. Expressions inside f-strings are matched.
        skip: set[int] = set()
        stack: list[ast.AST | None] = list(_header_roots(stmt))
        kinds = EXPR_KINDS
        children = _CHILD_FIELDS
        pop = stack.pop
        push = stack.append
        extend = stack.extend
        JoinedStr = ast.JoinedStr
        FormattedValue = ast.FormattedValue
        while stack:
            node = pop()
            if node is None:
                continue
            cls = type(node)
            kind = kinds.get(cls)
            if kind is not None and (not skip or id(node) not in skip):
                lst = found.get(kind)
                raw = (node.lineno, node.col_offset,  # type: ignore[attr-defined]
                       -(node.end_lineno or node.lineno),  # type: ignore[attr-defined]
                       -(node.end_col_offset or node.col_offset))  # type: ignore[attr-defined]
                if lst is None:
                    found[kind] = [raw]
                else:
                    lst.append(raw)
            if cls is JoinedStr:
                for v in node.values:  # type: ignore[attr-defined]
                    if type(v) is ast.Constant:
                        skip.add(id(v))
                    push(v)
                continue
            if cls is FormattedValue:
                push(node.value)  # type: ignore[attr-defined]
                spec = node.format_spec  # type: ignore[attr-defined]
                if spec is not None:
                    skip.add(id(spec))
                    push(spec)
                continue
            fields = children.get(cls)
            if fields is None:
                fields = _child_fields(cls)
            for f in fields:
                v = getattr(node, f, None)
                if type(v) is list:
                    extend(v)
                elif v is not None:
                    push(v)
        for lst in found.values():
            lst.sort()
        return StmtPositions(found, self.lines)


_Raw = tuple[int, int, int, int]
_FIELDS: dict[type, tuple[str, ...]] = {}
# Fields that never hold expressions (operators, names, literal values, flags).
_LEAF_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "kind", "type_comment", "conversion", "level",
    "module", "is_async", "simple", "name", "asname", "names",
})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def _child_fields(cls: type) -> tuple[str, ...]:
    """The fields of an ``ast`` class that may hold sub-nodes (a node or a list)."""
    got = _CHILD_FIELDS[cls] = tuple(
        f for f in getattr(cls, "_fields", ()) if f not in _LEAF_FIELDS
    )
    return got


def _fields_of(cls: type) -> tuple[str, ...]:
    f = _FIELDS.get(cls)
    if f is None:
        f = tuple(x for x in getattr(cls, "_fields", ()) if x != "ctx")
        _FIELDS[cls] = f
    return f


def _raw(node: ast.AST) -> _Raw:
    line: int = node.lineno  # type: ignore[attr-defined]
    col: int = node.col_offset  # type: ignore[attr-defined]
    end_line: int = node.end_lineno or line  # type: ignore[attr-defined]
    end_col: int = node.end_col_offset or col  # type: ignore[attr-defined]
    return (line, col, -end_line, -end_col)


def _header_roots(stmt: ast.stmt) -> list[ast.AST]:
    """The parts of a statement that are not nested statement bodies."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        roots: list[ast.AST] = list(stmt.decorator_list)
        roots.append(stmt.args)
        if stmt.returns is not None:
            roots.append(stmt.returns)
        return roots
    if isinstance(stmt, ast.ClassDef):
        return [*stmt.decorator_list, *stmt.bases, *stmt.keywords]
    if isinstance(stmt, (ast.If, ast.While)):
        return [stmt.test]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [stmt.target, stmt.iter]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return list(stmt.items)
    if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
        return [h.type for h in stmt.handlers if h.type is not None]  # type: ignore[attr-defined]
    if isinstance(stmt, ast.Match):
        return [stmt.subject]
    return [stmt]


def parse_ast(source: str) -> ast.Module | None:
    """Parse with CPython's ``ast``; None when it cannot (the caller falls back)."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
