"""The body IR: a small, typed, documented model of Python statements and expressions.

The libcst frontend lowers every function body (and module-level statements) into these
nodes, so that later stages (analyzer, workflow extraction) never touch libcst. Every node
carries a :class:`~flytec.model.span.Span`. Constructs the IR does not model become
:class:`Unknown` (expressions) or :class:`OtherStmt` (statements), keeping their text and
span, so nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union

from flytec.model.span import Span

# --------------------------------------------------------------------------- expressions


@dataclass(slots=True)
class Name:
    id: str
    span: Span


@dataclass(slots=True)
class Attribute:
    value: Expr
    attr: str
    span: Span


@dataclass(slots=True)
class Arg:
    """A call argument. ``star`` is ``""``, ``"*"`` or ``"**"``; ``keyword`` for ``k=v``."""

    value: Expr
    keyword: str | None = None
    star: str = ""


@dataclass(slots=True)
class Call:
    func: Expr
    args: list[Arg]
    span: Span

    @property
    def positional(self) -> list[Expr]:
        return [a.value for a in self.args if a.keyword is None and not a.star]

    def keyword(self, name: str) -> Expr | None:
        for a in self.args:
            if a.keyword == name:
                return a.value
        return None


@dataclass(slots=True)
class Await:
    value: Expr
    span: Span


@dataclass(slots=True)
class Const:
    """A literal: str, bytes, int, float, complex, bool, None or ``...`` (as the string "...")."""

    value: object
    span: Span
    kind: str = ""  # "str", "bytes", "int", "float", "complex", "bool", "none", "ellipsis"


@dataclass(slots=True)
class FString:
    values: list[Expr]  # the interpolated expressions, in order
    span: Span


@dataclass(slots=True)
class Seq:
    kind: str  # "list" | "tuple" | "set"
    elts: list[Expr]
    span: Span


@dataclass(slots=True)
class DictExpr:
    keys: list[Expr | None]  # None for ``**mapping``
    values: list[Expr]
    span: Span


@dataclass(slots=True)
class Comprehension:
    target: Expr
    iter: Expr
    ifs: list[Expr]
    is_async: bool = False


@dataclass(slots=True)
class Comp:
    kind: str  # "list" | "set" | "dict" | "gen"
    elt: Expr  # the key for dict comprehensions
    value: Expr | None
    generators: list[Comprehension]
    span: Span


@dataclass(slots=True)
class BinOp:
    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(slots=True)
class UnaryOp:
    op: str  # "not", "-", "+", "~"
    operand: Expr
    span: Span


@dataclass(slots=True)
class BoolOp:
    op: str  # "and" | "or"
    values: list[Expr]
    span: Span


@dataclass(slots=True)
class Compare:
    left: Expr
    ops: list[str]
    comparators: list[Expr]
    span: Span


@dataclass(slots=True)
class Subscript:
    value: Expr
    index: Expr  # several indices are a tuple Seq
    span: Span


@dataclass(slots=True)
class Slice:
    lower: Expr | None
    upper: Expr | None
    step: Expr | None
    span: Span


@dataclass(slots=True)
class IfExp:
    test: Expr
    body: Expr
    orelse: Expr
    span: Span


@dataclass(slots=True)
class Lambda:
    params: list[str]
    defaults: list[Expr]
    body: Expr
    span: Span


@dataclass(slots=True)
class Starred:
    value: Expr
    span: Span


@dataclass(slots=True)
class NamedExpr:
    target: Name
    value: Expr
    span: Span


@dataclass(slots=True)
class Yield:
    value: Expr | None
    is_from: bool
    span: Span


@dataclass(slots=True)
class Unknown:
    """An expression the IR does not model; ``text`` is its source code."""

    text: str
    span: Span
    children: list[Expr] = field(default_factory=list)


Expr = Union[
    Name,
    Attribute,
    Call,
    Await,
    Const,
    FString,
    Seq,
    DictExpr,
    Comp,
    BinOp,
    UnaryOp,
    BoolOp,
    Compare,
    Subscript,
    Slice,
    IfExp,
    Lambda,
    Starred,
    NamedExpr,
    Yield,
    Unknown,
]

# ---------------------------------------------------------------------------- statements


@dataclass(slots=True)
class ExprStmt:
    value: Expr
    span: Span


@dataclass(slots=True)
class Assign:
    targets: list[Expr]
    value: Expr
    span: Span


@dataclass(slots=True)
class AugAssign:
    target: Expr
    op: str
    value: Expr
    span: Span


@dataclass(slots=True)
class AnnAssign:
    target: Expr
    annotation: Expr
    value: Expr | None
    span: Span


@dataclass(slots=True)
class Return:
    value: Expr | None
    span: Span


@dataclass(slots=True)
class If:
    test: Expr
    body: list[Stmt]
    orelse: list[Stmt]
    span: Span
    is_elif: bool = False


@dataclass(slots=True)
class For:
    target: Expr
    iter: Expr
    body: list[Stmt]
    orelse: list[Stmt]
    span: Span
    is_async: bool = False


@dataclass(slots=True)
class While:
    test: Expr
    body: list[Stmt]
    orelse: list[Stmt]
    span: Span


@dataclass(slots=True)
class Handler:
    type: Expr | None
    name: str | None
    body: list[Stmt]
    span: Span


@dataclass(slots=True)
class Try:
    body: list[Stmt]
    handlers: list[Handler]
    orelse: list[Stmt]
    finalbody: list[Stmt]
    span: Span
    is_star: bool = False


@dataclass(slots=True)
class WithItem:
    context: Expr
    target: Expr | None


@dataclass(slots=True)
class With:
    items: list[WithItem]
    body: list[Stmt]
    span: Span
    is_async: bool = False


@dataclass(slots=True)
class Raise:
    exc: Expr | None
    cause: Expr | None
    span: Span


@dataclass(slots=True)
class Assert:
    test: Expr
    msg: Expr | None
    span: Span


@dataclass(slots=True)
class Delete:
    targets: list[Expr]
    span: Span


@dataclass(slots=True)
class ScopeDecl:
    """``global`` or ``nonlocal``."""

    kind: str
    names: list[str]
    span: Span


@dataclass(slots=True)
class ImportStmt:
    """An import inside a function body (module-level imports are in ModuleIR.imports)."""

    bindings: list[ImportBinding]
    span: Span


@dataclass(slots=True)
class Jump:
    """``pass``, ``break`` or ``continue``."""

    kind: str
    span: Span


@dataclass(slots=True)
class FunctionStmt:
    """A nested ``def`` inside a body."""

    func: FunctionDef
    span: Span


@dataclass(slots=True)
class ClassStmt:
    cls: ClassDef
    span: Span


@dataclass(slots=True)
class OtherStmt:
    """A statement the IR does not model (e.g. ``match``); ``text`` is its first line."""

    text: str
    span: Span
    exprs: list[Expr] = field(default_factory=list)
    bodies: list[list[Stmt]] = field(default_factory=list)


Stmt = Union[
    ExprStmt,
    Assign,
    AugAssign,
    AnnAssign,
    Return,
    If,
    For,
    While,
    Try,
    With,
    Raise,
    Assert,
    Delete,
    ScopeDecl,
    ImportStmt,
    Jump,
    FunctionStmt,
    ClassStmt,
    OtherStmt,
]

# ------------------------------------------------------------------- definitions, imports


@dataclass(slots=True)
class ImportBinding:
    """A name bound by an import.

    ``import a.b`` binds ``a`` (module ``a``, ``name`` None, ``submodule`` "a.b");
    ``import a.b as c`` binds ``c`` to module ``a.b``; ``from a import b as c`` binds ``c``
    to ``name`` "b" of module ``a``. ``module`` is absolute (relative imports are resolved
    against the importing module's package when that is known).
    """

    local: str
    module: str
    name: str | None
    span: Span
    level: int = 0
    submodule: str | None = None
    star: bool = False


@dataclass(slots=True)
class Param:
    name: str
    kind: str  # "posonly" | "normal" | "vararg" | "kwonly" | "varkw"
    annotation: Expr | None
    annotation_text: str | None
    default: Expr | None
    span: Span


@dataclass(slots=True)
class Decorator:
    expr: Expr
    text: str
    span: Span


@dataclass(slots=True)
class FunctionDef:
    name: str
    qualname: str  # dotted path inside the module: "f", "C.m", "outer.<locals>.inner"
    is_async: bool
    params: list[Param]
    returns: Expr | None
    returns_text: str | None
    decorators: list[Decorator]
    body: list[Stmt]
    span: Span  # the whole definition
    name_span: Span  # the ``def name`` part, where diagnostics point
    code: str  # the definition's source text (for hashing)
    module_level: bool
    in_class: str | None = None
    is_generator: bool = False

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


@dataclass(slots=True)
class ClassDef:
    name: str
    qualname: str
    bases: list[Expr]
    decorators: list[Decorator]
    methods: list[FunctionDef]
    body: list[Stmt]
    span: Span
    module_level: bool


# ------------------------------------------------------------------------------ walking


def iter_child_exprs(e: Expr) -> Iterator[Expr]:
    """Direct sub-expressions of ``e``, in source order."""
    if isinstance(e, (Name, Const)):
        return
    if isinstance(e, Attribute):
        yield e.value
    elif isinstance(e, Call):
        yield e.func
        for a in e.args:
            yield a.value
    elif isinstance(e, (Await, Starred)):
        yield e.value
    elif isinstance(e, FString):
        yield from e.values
    elif isinstance(e, Seq):
        yield from e.elts
    elif isinstance(e, DictExpr):
        for k, v in zip(e.keys, e.values):
            if k is not None:
                yield k
            yield v
    elif isinstance(e, Comp):
        yield e.elt
        if e.value is not None:
            yield e.value
        for g in e.generators:
            yield g.target
            yield g.iter
            yield from g.ifs
    elif isinstance(e, BinOp):
        yield e.left
        yield e.right
    elif isinstance(e, UnaryOp):
        yield e.operand
    elif isinstance(e, BoolOp):
        yield from e.values
    elif isinstance(e, Compare):
        yield e.left
        yield from e.comparators
    elif isinstance(e, Subscript):
        yield e.value
        yield e.index
    elif isinstance(e, Slice):
        for x in (e.lower, e.upper, e.step):
            if x is not None:
                yield x
    elif isinstance(e, IfExp):
        yield e.body
        yield e.test
        yield e.orelse
    elif isinstance(e, Lambda):
        yield from e.defaults
        yield e.body
    elif isinstance(e, NamedExpr):
        yield e.target
        yield e.value
    elif isinstance(e, Yield):
        if e.value is not None:
            yield e.value
    elif isinstance(e, Unknown):
        yield from e.children


def walk_expr(e: Expr) -> Iterator[Expr]:
    """``e`` and every expression inside it, pre-order, source order."""
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        children = list(iter_child_exprs(x))
        stack.extend(reversed(children))


def stmt_exprs(s: Stmt) -> Iterator[Expr]:
    """The expressions that belong to statement ``s`` itself (not to nested statements)."""
    if isinstance(s, (ExprStmt, Return)):
        if s.value is not None:
            yield s.value
    elif isinstance(s, Assign):
        yield from s.targets
        yield s.value
    elif isinstance(s, AugAssign):
        yield s.target
        yield s.value
    elif isinstance(s, AnnAssign):
        yield s.target
        yield s.annotation
        if s.value is not None:
            yield s.value
    elif isinstance(s, (If, While)):
        yield s.test
    elif isinstance(s, For):
        yield s.target
        yield s.iter
    elif isinstance(s, Try):
        for h in s.handlers:
            if h.type is not None:
                yield h.type
    elif isinstance(s, With):
        for it in s.items:
            yield it.context
            if it.target is not None:
                yield it.target
    elif isinstance(s, Raise):
        for x in (s.exc, s.cause):
            if x is not None:
                yield x
    elif isinstance(s, Assert):
        yield s.test
        if s.msg is not None:
            yield s.msg
    elif isinstance(s, Delete):
        yield from s.targets
    elif isinstance(s, OtherStmt):
        yield from s.exprs
    elif isinstance(s, FunctionStmt):
        for d in s.func.decorators:
            yield d.expr
        for p in s.func.params:
            if p.default is not None:
                yield p.default


def child_bodies(s: Stmt) -> Iterator[list[Stmt]]:
    """Nested statement lists of ``s`` (not nested function or class bodies)."""
    if isinstance(s, (If, For, While)):
        yield s.body
        yield s.orelse
    elif isinstance(s, Try):
        yield s.body
        for h in s.handlers:
            yield h.body
        yield s.orelse
        yield s.finalbody
    elif isinstance(s, With):
        yield s.body
    elif isinstance(s, OtherStmt):
        yield from s.bodies


def walk_stmts(body: list[Stmt]) -> Iterator[Stmt]:
    """Every statement in ``body``, recursively, not entering nested defs or classes."""
    for s in body:
        yield s
        for b in child_bodies(s):
            yield from walk_stmts(b)


def dotted_name(e: Expr) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(e, Attribute):
        parts.append(e.attr)
        e = e.value
    if isinstance(e, Name):
        parts.append(e.id)
        return ".".join(reversed(parts))
    return None
