"""The body IR: a small, typed, documented model of Python statements and expressions.

The libcst frontend lowers every function body (and module-level statements) into these
nodes, so that later stages (analyzer, workflow extraction) never touch libcst. Every node
carries a :class:`~flytec.model.span.Span`. Constructs the IR does not model become
:class:`Unknown` (expressions) or :class:`OtherStmt` (statements), keeping their text and
span, so nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from flytec.model.span import Span

# --------------------------------------------------------------------------- expressions


@dataclass
class Name:
    id: str
    span: Span


@dataclass
class Attribute:
    value: Expr
    attr: str
    span: Span


@dataclass
class Arg:
    """A call argument. ``star`` is ``""``, ``"*"`` or ``"**"``; ``keyword`` for ``k=v``."""

    value: Expr
    keyword: str | None = None
    star: str = ""


@dataclass
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


@dataclass
class Await:
    value: Expr
    span: Span


@dataclass
class Const:
    """A literal: str, bytes, int, float, complex, bool, None or ``...`` (as the string "...")."""

    value: object
    span: Span
    kind: str = ""  # "str", "bytes", "int", "float", "complex", "bool", "none", "ellipsis"


@dataclass
class FString:
    values: list[Expr]  # the interpolated expressions, in order
    span: Span


@dataclass
class Seq:
    kind: str  # "list" | "tuple" | "set"
    elts: list[Expr]
    span: Span


@dataclass
class DictExpr:
    keys: list[Expr | None]  # None for ``**mapping``
    values: list[Expr]
    span: Span


@dataclass
class Comprehension:
    target: Expr
    iter: Expr
    ifs: list[Expr]
    is_async: bool = False


@dataclass
class Comp:
    kind: str  # "list" | "set" | "dict" | "gen"
    elt: Expr  # the key for dict comprehensions
    value: Expr | None
    generators: list[Comprehension]
    span: Span


@dataclass
class BinOp:
    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass
class UnaryOp:
    op: str  # "not", "-", "+", "~"
    operand: Expr
    span: Span


@dataclass
class BoolOp:
    op: str  # "and" | "or"
    values: list[Expr]
    span: Span


@dataclass
class Compare:
    left: Expr
    ops: list[str]
    comparators: list[Expr]
    span: Span


@dataclass
class Subscript:
    value: Expr
    index: Expr  # several indices are a tuple Seq
    span: Span


@dataclass
class Slice:
    lower: Expr | None
    upper: Expr | None
    step: Expr | None
    span: Span


@dataclass
class IfExp:
    test: Expr
    body: Expr
    orelse: Expr
    span: Span


@dataclass
class Lambda:
    params: list[str]
    defaults: list[Expr]
    body: Expr
    span: Span


@dataclass
class Starred:
    value: Expr
    span: Span


@dataclass
class NamedExpr:
    target: Name
    value: Expr
    span: Span


@dataclass
class Yield:
    value: Expr | None
    is_from: bool
    span: Span


@dataclass
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


@dataclass
class ExprStmt:
    value: Expr
    span: Span


@dataclass
class Assign:
    targets: list[Expr]
    value: Expr
    span: Span


@dataclass
class AugAssign:
    target: Expr
    op: str
    value: Expr
    span: Span


@dataclass
class AnnAssign:
    target: Expr
    annotation: Expr
    value: Expr | None
    span: Span


@dataclass
class Return:
    value: Expr | None
    span: Span


@dataclass
class If:
    test: Expr
    body: list[Stmt]
    orelse: list[Stmt]
    span: Span
    is_elif: bool = False


@dataclass
class For:
    target: Expr
    iter: Expr
    body: list[Stmt]
    orelse: list[Stmt]
    span: Span
    is_async: bool = False


@dataclass
class While:
    test: Expr
    body: list[Stmt]
    orelse: list[Stmt]
    span: Span


@dataclass
class Handler:
    type: Expr | None
    name: str | None
    body: list[Stmt]
    span: Span


@dataclass
class Try:
    body: list[Stmt]
    handlers: list[Handler]
    orelse: list[Stmt]
    finalbody: list[Stmt]
    span: Span
    is_star: bool = False


@dataclass
class WithItem:
    context: Expr
    target: Expr | None


@dataclass
class With:
    items: list[WithItem]
    body: list[Stmt]
    span: Span
    is_async: bool = False


@dataclass
class Raise:
    exc: Expr | None
    cause: Expr | None
    span: Span


@dataclass
class Assert:
    test: Expr
    msg: Expr | None
    span: Span


@dataclass
class Delete:
    targets: list[Expr]
    span: Span


@dataclass
class ScopeDecl:
    """``global`` or ``nonlocal``."""

    kind: str
    names: list[str]
    span: Span


@dataclass
class ImportStmt:
    """An import inside a function body (module-level imports are in ModuleIR.imports)."""

    bindings: list[ImportBinding]
    span: Span


@dataclass
class Jump:
    """``pass``, ``break`` or ``continue``."""

    kind: str
    span: Span


@dataclass
class FunctionStmt:
    """A nested ``def`` inside a body."""

    func: FunctionDef
    span: Span


@dataclass
class ClassStmt:
    cls: ClassDef
    span: Span


@dataclass
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


@dataclass
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


@dataclass
class Param:
    name: str
    kind: str  # "posonly" | "normal" | "vararg" | "kwonly" | "varkw"
    annotation: Expr | None
    annotation_text: str | None
    default: Expr | None
    span: Span


@dataclass
class Decorator:
    expr: Expr
    text: str
    span: Span


@dataclass
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
    # Facts the frontend computes once per file (so they are cached with the IR):
    # every call of the body, not of nested defs, in walk order (walk_stmts, stmt_exprs,
    # walk_expr), and the local names (see flytec.compiler.recover.scopes.local_names).
    calls: list[Call] | None = None
    locals: frozenset[str] | None = None

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


@dataclass
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


def _dict_children(e: DictExpr) -> list[Expr]:
    out: list[Expr] = []
    for k, v in zip(e.keys, e.values):
        if k is not None:
            out.append(k)
        out.append(v)
    return out


def _comp_children(e: Comp) -> list[Expr]:
    out: list[Expr] = [e.elt]
    if e.value is not None:
        out.append(e.value)
    for g in e.generators:
        out.append(g.target)
        out.append(g.iter)
        out.extend(g.ifs)
    return out


_NONE: list[Expr] = []
_CHILDREN: dict[type, Callable[[Any], list[Expr]]] = {
    Name: lambda e: _NONE,
    Const: lambda e: _NONE,
    Attribute: lambda e: [e.value],
    Call: lambda e: [e.func, *(a.value for a in e.args)],
    Await: lambda e: [e.value],
    Starred: lambda e: [e.value],
    FString: lambda e: e.values,
    Seq: lambda e: e.elts,
    DictExpr: _dict_children,
    Comp: _comp_children,
    BinOp: lambda e: [e.left, e.right],
    UnaryOp: lambda e: [e.operand],
    BoolOp: lambda e: e.values,
    Compare: lambda e: [e.left, *e.comparators],
    Subscript: lambda e: [e.value, e.index],
    Slice: lambda e: [x for x in (e.lower, e.upper, e.step) if x is not None],
    IfExp: lambda e: [e.body, e.test, e.orelse],
    Lambda: lambda e: [*e.defaults, e.body],
    NamedExpr: lambda e: [e.target, e.value],
    Yield: lambda e: [e.value] if e.value is not None else _NONE,
    Unknown: lambda e: e.children,
}


def iter_child_exprs(e: Expr) -> Iterator[Expr]:
    """Direct sub-expressions of ``e``, in source order."""
    return iter(_CHILDREN[type(e)](e))


def walk_expr(e: Expr) -> Iterator[Expr]:
    """``e`` and every expression inside it, pre-order, source order."""
    children = _CHILDREN
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        kids = children[type(x)](x)
        if kids:
            stack.extend(reversed(kids))


def _handler_types(s: Try) -> list[Expr]:
    return [h.type for h in s.handlers if h.type is not None]


def _with_exprs(s: With) -> list[Expr]:
    out: list[Expr] = []
    for it in s.items:
        out.append(it.context)
        if it.target is not None:
            out.append(it.target)
    return out


def _function_stmt_exprs(s: FunctionStmt) -> list[Expr]:
    out: list[Expr] = [d.expr for d in s.func.decorators]
    out.extend(p.default for p in s.func.params if p.default is not None)
    return out


def _present(*xs: Expr | None) -> list[Expr]:
    return [x for x in xs if x is not None]


_STMT_EXPRS: dict[type, Callable[[Any], list[Expr]]] = {
    ExprStmt: lambda s: [s.value],
    Return: lambda s: _present(s.value),
    Assign: lambda s: [*s.targets, s.value],
    AugAssign: lambda s: [s.target, s.value],
    AnnAssign: lambda s: _present(s.target, s.annotation, s.value),
    If: lambda s: [s.test],
    While: lambda s: [s.test],
    For: lambda s: [s.target, s.iter],
    Try: _handler_types,
    With: _with_exprs,
    Raise: lambda s: _present(s.exc, s.cause),
    Assert: lambda s: _present(s.test, s.msg),
    Delete: lambda s: s.targets,
    OtherStmt: lambda s: s.exprs,
    FunctionStmt: _function_stmt_exprs,
}


def stmt_exprs(s: Stmt) -> Iterator[Expr]:
    """The expressions that belong to statement ``s`` itself (not to nested statements)."""
    get = _STMT_EXPRS.get(type(s))
    return iter(get(s) if get is not None else _NONE)


def _try_bodies(s: Try) -> list[list[Stmt]]:
    return [s.body, *(h.body for h in s.handlers), s.orelse, s.finalbody]


_NO_BODIES: list[list[Stmt]] = []
_BODIES: dict[type, Callable[[Any], list[list[Stmt]]]] = {
    If: lambda s: [s.body, s.orelse],
    For: lambda s: [s.body, s.orelse],
    While: lambda s: [s.body, s.orelse],
    Try: _try_bodies,
    With: lambda s: [s.body],
    OtherStmt: lambda s: s.bodies,
}


def child_bodies(s: Stmt) -> Iterator[list[Stmt]]:
    """Nested statement lists of ``s`` (not nested function or class bodies)."""
    get = _BODIES.get(type(s))
    return iter(get(s) if get is not None else _NO_BODIES)


def walk_stmts(body: list[Stmt]) -> Iterator[Stmt]:
    """Every statement in ``body``, recursively (pre-order, source order), not entering
    nested defs or classes."""
    bodies = _BODIES
    stack: list[Iterator[Stmt]] = [iter(body)]
    while stack:
        for s in stack[-1]:
            yield s
            get = bodies.get(type(s))
            if get is not None:
                subs = get(s)
                stack.extend(iter(b) for b in reversed(subs) if b)
                break
        else:
            stack.pop()


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
