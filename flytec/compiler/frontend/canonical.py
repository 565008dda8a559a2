"""The canonical form of Python code: what the code hash covers, the same on every interpreter.

``ast.dump`` is no use for a hash that must be equal across machines: its text changes between
CPython versions (3.12 adds ``type_params=[]``, 3.13 omits empty fields). This walks libcst's
tree instead, whose native parser is the same on every Python, and writes each node as its type
and its fields, leaving out everything that is formatting:

- dropped: whitespace, blank lines, comments, indentation, parentheses, commas (except the
  one that makes ``a[i,]`` a tuple index), semicolons, how statements are split over lines
  (``a; b`` equals two lines, ``if x: y`` equals the indented form), docstrings (the first
  statement of a module, class or function when it is a plain string: editing documentation
  does not change what code computes);
- literals by value: ``'a'``, ``"a"``, ``r'a'``, ``'\\x61'`` and ``'a' 'b'`` vs ``'ab'`` are
  equal; ``0x10``, ``16`` and ``1_6``; ``1.0`` and ``1.``; f-string text by value;
- kept: everything else (names, operators, structure, decorators, annotations, defaults).

Code libcst cannot parse is hashed as its text. ``CANONICAL_VERSION`` names this form: it goes
into every hash made from it, so a hash of another form never compares equal.
"""

from __future__ import annotations

import ast
import dataclasses
import warnings
from collections.abc import Sequence
from functools import cache

import libcst as cst

CANONICAL_VERSION = "v2"

_FORMATTING: tuple[type, ...] = (
    cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace, cst.EmptyLine,
    cst.Newline, cst.Comment, cst.LeftParen, cst.RightParen, cst.Comma, cst.Semicolon,
    cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace,
    cst.Colon,
)
# str fields that are layout, not code
_LAYOUT_FIELDS = frozenset({"indent", "encoding", "default_indent", "default_newline",
                            "has_trailing_newline", "lpar", "rpar", "comma", "semicolon",
                            "header", "footer", "leading_lines", "lines_after_decorators",
                            "trailing_whitespace", "leading_whitespace", "empty_lines"})
_STRING_PREFIX = "rRbBuUfFtT"


@cache
def _fields(t: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(t) if f.name not in _LAYOUT_FIELDS
                 and not f.name.startswith("whitespace"))


def _literal(text: str) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes warn on newer Pythons, same value
        return ast.literal_eval(text)


def _string_value(node: cst.SimpleString) -> str:
    text = node.value
    if text[0] in "\"'" and "\\" not in text:
        return repr(text[3:-3] if text[:3] in ('"""', "'''") and len(text) >= 6 else text[1:-1])
    try:
        return repr(_literal(text))
    except (ValueError, SyntaxError, MemoryError):
        return repr(text)


def _number(node: cst.Integer | cst.Float | cst.Imaginary) -> str:
    text = node.value.replace("_", "")
    try:
        if isinstance(node, cst.Integer):
            return str(int(text, 0))
        if isinstance(node, cst.Float):
            return repr(float(text))
        return repr(complex(text))
    except ValueError:
        return node.value


def _is_docstring(stmt: cst.CSTNode) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    e = stmt.body[0]
    return isinstance(e, cst.Expr) and isinstance(e.value, (cst.SimpleString,
                                                            cst.ConcatenatedString)) \
        and all(isinstance(p, cst.SimpleString) for p in _concat_parts(e.value))


def _concat_parts(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.ConcatenatedString):
        return [*_concat_parts(node.left), *_concat_parts(node.right)]
    return [node]


def _tuple_index(node: cst.Subscript) -> cst.Subscript:
    """``a[i, j]`` and ``a[i,]`` as ``a[(i, j)]`` and ``a[(i,)]``: the same tuple index."""
    els = node.slice
    if not (len(els) > 1 or (els and isinstance(els[0].comma, cst.Comma))):
        return node
    values: list[cst.BaseExpression] = []
    for e in els:
        if not isinstance(e.slice, cst.Index) or e.slice.star is not None:
            return node  # slices and starred items: kept as written (the marker below)
        values.append(e.slice.value)
    tup = cst.Tuple([cst.Element(v) for v in values])
    return node.with_changes(slice=[cst.SubscriptElement(cst.Index(tup))])


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []

    def statements(self, body: Sequence[cst.CSTNode], docstring: bool) -> None:
        """A block: its statements in order, however they are split over lines."""
        w = self.out.append
        w("{")
        first = True
        for stmt in body:
            if first and docstring and _is_docstring(stmt):
                first = False
                continue
            first = False
            if isinstance(stmt, cst.SimpleStatementLine):
                for s in stmt.body:
                    self.node(s)
                    w(";")
            else:
                self.node(stmt)
                w(";")
        w("}")

    def block(self, node: cst.BaseSuite, docstring: bool) -> None:
        if isinstance(node, cst.SimpleStatementSuite):
            self.statements(node.body, docstring)
        elif isinstance(node, cst.IndentedBlock):
            self.statements(node.body, docstring)
        else:
            self.node(node)

    def value(self, v: object) -> None:
        if isinstance(v, cst.CSTNode):
            if not isinstance(v, _FORMATTING):
                self.node(v)
            else:
                self.out.append("_")
        elif isinstance(v, str):
            self.out.append(repr(v))
        elif isinstance(v, (list, tuple)):
            self.out.append("[")
            for x in v:
                if not isinstance(x, _FORMATTING):
                    self.value(x)
                    self.out.append(",")
            self.out.append("]")
        elif v is None or isinstance(v, cst.MaybeSentinel):
            self.out.append("_")
        else:
            self.out.append(repr(v))

    def node(self, node: cst.CSTNode) -> None:
        w = self.out.append
        if isinstance(node, cst.SimpleString):
            w(f"S{_string_value(node)}")
            return
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            w(f"N{_number(node)}")
            return
        if isinstance(node, cst.Name):
            w(f"n{node.value}")
            return
        if isinstance(node, cst.ConcatenatedString):
            self.concatenated(node)
            return
        if isinstance(node, cst.FormattedString):
            self.fstring(node)
            return
        if isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            self.block(node, docstring=False)
            return
        if isinstance(node, cst.Subscript):
            node = _tuple_index(node)
        t = type(node)
        w(t.__name__)
        w("(")
        docstring = isinstance(node, (cst.FunctionDef, cst.ClassDef))
        for name in _fields(t):
            v = getattr(node, name)
            if v is None or isinstance(v, cst.MaybeSentinel) or isinstance(v, _FORMATTING):
                continue
            if isinstance(v, (list, tuple)) and not v:
                continue
            w(name)
            w("=")
            if name == "body" and isinstance(v, (cst.IndentedBlock, cst.SimpleStatementSuite)):
                self.block(v, docstring)
            else:
                self.value(v)
            w(",")
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 \
                and isinstance(node.slice[0].comma, cst.Comma):
            w("tuple_index")  # a[i,] indexes with the tuple (i,)
        w(")")

    def concatenated(self, node: cst.ConcatenatedString) -> None:
        parts = _concat_parts(node)
        merged: list[object] = []
        for p in parts:
            if isinstance(p, cst.SimpleString):
                try:
                    v = _literal(p.value)
                except (ValueError, SyntaxError, MemoryError):
                    v = p.value
                if merged and type(merged[-1]) is type(v) and isinstance(v, (str, bytes)):
                    merged[-1] = merged[-1] + v  # type: ignore[operator]
                    continue
                merged.append(v)
            else:
                merged.append(p)
        if len(merged) == 1 and not isinstance(merged[0], cst.CSTNode):
            self.out.append(f"S{merged[0]!r}")
            return
        self.out.append("Concat[")
        for m in merged:
            if isinstance(m, cst.CSTNode):
                self.node(m)
            else:
                self.out.append(f"S{m!r}")
            self.out.append(",")
        self.out.append("]")

    def fstring(self, node: cst.FormattedString) -> None:
        prefix = node.start.rstrip("'\"")
        quote = node.start[len(prefix):]
        raw = "r" if "r" in prefix.lower() else ""
        self.out.append(f"F{raw}[")
        self.fstring_parts(node.parts, raw, quote)
        self.out.append("]")

    def fstring_parts(self, parts: Sequence[cst.BaseFormattedStringContent], raw: str,
                      quote: str) -> None:
        w = self.out.append
        for p in parts:
            if isinstance(p, cst.FormattedStringText):
                try:
                    w(repr(_literal(f"{raw}{quote}{p.value}{quote}")))
                except (ValueError, SyntaxError, MemoryError):
                    w(repr(p.value))
            elif isinstance(p, cst.FormattedStringExpression):
                w("{")
                if isinstance(p.equal, cst.AssignEqual):
                    # f"{x = }" prints its own text, spaces included
                    w(repr(cst.Module([]).code_for_node(p)))
                self.node(p.expression)
                if p.conversion is not None:
                    w(f"!{p.conversion}")
                if p.format_spec is not None:
                    w(":")
                    self.fstring_parts(p.format_spec, raw, quote)
                w("}")
            w(",")


def canonical_code(code: str) -> str:
    """The canonical form of ``code`` (a module, or a definition cut from one, maybe indented).

    Code that does not parse is returned as it is (its hash then follows its text).
    """
    indented = code[:1] in (" ", "\t")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if indented:  # a method or nested function: parse it as the body of a block
                mod = cst.parse_module("if 1:\n" + code)
                first = mod.body[0] if mod.body else None
                if not isinstance(first, cst.If) or len(mod.body) != 1:
                    return code
                body: Sequence[cst.CSTNode] = first.body.body
            else:
                mod = cst.parse_module(code)
                body = mod.body
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return code
    writer = _Writer()
    writer.statements(body, docstring=False)
    return "".join(writer.out)
