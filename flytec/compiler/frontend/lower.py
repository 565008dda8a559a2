"""Lowering of a libcst tree into the body IR (:mod:`flytec.model.body`).

Statements and expressions are lowered in source order, so that each one can take its
position from :class:`~flytec.compiler.frontend.positions.AstIndex` by rank (see that module
for why). When ``ast`` cannot parse the file, positions come from libcst's
``PositionProvider`` instead: slower, same result.
"""

from __future__ import annotations

import ast
import textwrap
import warnings
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import libcst as cst

from flytec.compiler.frontend.positions import AstIndex, StmtPositions
from flytec.model import body as ir
from flytec.model.span import Span
from flytec.model.unparse import unparse

_BINOPS: dict[type[cst.CSTNode], str] = {
    cst.Add: "+",
    cst.Subtract: "-",
    cst.Multiply: "*",
    cst.Divide: "/",
    cst.FloorDivide: "//",
    cst.Modulo: "%",
    cst.Power: "**",
    cst.MatrixMultiply: "@",
    cst.LeftShift: "<<",
    cst.RightShift: ">>",
    cst.BitAnd: "&",
    cst.BitOr: "|",
    cst.BitXor: "^",
}
_AUGOPS: dict[type[cst.CSTNode], str] = {
    cst.AddAssign: "+",
    cst.SubtractAssign: "-",
    cst.MultiplyAssign: "*",
    cst.DivideAssign: "/",
    cst.FloorDivideAssign: "//",
    cst.ModuloAssign: "%",
    cst.PowerAssign: "**",
    cst.MatrixMultiplyAssign: "@",
    cst.LeftShiftAssign: "<<",
    cst.RightShiftAssign: ">>",
    cst.BitAndAssign: "&",
    cst.BitOrAssign: "|",
    cst.BitXorAssign: "^",
}
_UNARY: dict[type[cst.CSTNode], str] = {
    cst.Not: "not",
    cst.Minus: "-",
    cst.Plus: "+",
    cst.BitInvert: "~",
}
_CMP: dict[type[cst.CSTNode], str] = {
    cst.Equal: "==",
    cst.NotEqual: "!=",
    cst.LessThan: "<",
    cst.LessThanEqual: "<=",
    cst.GreaterThan: ">",
    cst.GreaterThanEqual: ">=",
    cst.In: "in",
    cst.NotIn: "not in",
    cst.Is: "is",
    cst.IsNot: "is not",
}
_CONSTANT_NAMES = {"True": True, "False": False, "None": None}

_MAX_INT_BITS = 13_000  # about 3,900 decimal digits, under CPython's 4,300


class Lowerer:
    """Lowers one module. Use :meth:`lower_module`."""

    def __init__(
        self,
        module: cst.Module,
        source: str,
        index: AstIndex | None,
        positions: Any = None,
    ) -> None:
        self.module = module
        self.lines = source.splitlines()
        self.index = index
        self.provider = positions  # libcst PositionProvider mapping when index is None
        self.scope: StmtPositions | None = None
        self.stmt_span = Span(1, 1, 1, 1)
        self.made: list[Any] = []  # expression nodes made in the current statement
        self.ast_stmt: ast.stmt | None = None
        self.functions: list[ir.FunctionDef] = []  # every def, nested too
        self.classes: list[ir.ClassDef] = []
        self.qual: list[str] = []
        self.in_class: str | None = None
        self.saw_yield = False

    # ----------------------------------------------------------------------- positions

    def _span(self, kind: str, node: cst.CSTNode) -> Span:
        if self.provider is not None:
            return _provider_span(self.provider, node)
        if self.scope is None:
            return self.stmt_span
        sp = self.scope.take(kind)
        return sp if sp is not None else self.stmt_span

    def _track(self, e: Any) -> Any:
        self.made.append(e)
        return e

    def _statement(self, node: cst.CSTNode, build: Callable[[], Any]) -> Any:
        """Lower one statement inside its own position scope."""
        saved = (self.scope, self.stmt_span, self.made, self.ast_stmt)
        if self.provider is not None:
            self.stmt_span = _provider_span(self.provider, node)
            self.scope = None
        else:
            assert self.index is not None
            a = self.index.next_stmt()
            if a is None:
                raise _Desync("ran out of ast statements")
            self.ast_stmt = a
            self.stmt_span = self.index.lines.span(a)
            self.scope = self.index.header_positions(a)
        self.made = []
        try:
            result = build()
            if self.scope is not None and not self.scope.balanced():
                for e in self.made:
                    e.span = self.stmt_span
            return result
        finally:
            self.scope, self.stmt_span, self.made, self.ast_stmt = saved

    # ------------------------------------------------------------------------ module

    def lower_module(self) -> list[ir.Stmt]:
        out = self.lower_block(self.module.body)
        if self.index is not None and not self.index.exhausted():
            raise _Desync("ast has more statements than libcst")
        return out

    def lower_block(self, stmts: Sequence[cst.CSTNode]) -> list[ir.Stmt]:
        out: list[ir.Stmt] = []
        for s in stmts:
            if isinstance(s, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                for small in s.body:
                    out.append(self._statement(small, partial(self.small, small)))
            else:
                out.append(self._statement(s, partial(self.compound, s)))
        return out

    def lower_suite(self, suite: cst.BaseSuite) -> list[ir.Stmt]:
        if isinstance(suite, cst.IndentedBlock):
            return self.lower_block(suite.body)
        assert isinstance(suite, cst.SimpleStatementSuite)
        return self.lower_block([suite])

    # -------------------------------------------------------------------- statements

    def small(self, n: cst.CSTNode) -> ir.Stmt:
        sp = self.stmt_span
        if isinstance(n, cst.Expr):
            return ir.ExprStmt(self.expr(n.value), sp)
        if isinstance(n, cst.Assign):
            targets = [self.expr(t.target) for t in n.targets]
            return ir.Assign(targets, self.expr(n.value), sp)
        if isinstance(n, cst.AugAssign):
            target = self.expr(n.target)
            return ir.AugAssign(target, _AUGOPS.get(type(n.operator), "?"), self.expr(n.value), sp)
        if isinstance(n, cst.AnnAssign):
            target = self.expr(n.target)
            ann = self.expr(n.annotation.annotation)
            value = self.expr(n.value) if n.value is not None else None
            return ir.AnnAssign(target, ann, value, sp)
        if isinstance(n, cst.Return):
            return ir.Return(self.expr(n.value) if n.value is not None else None, sp)
        if isinstance(n, cst.Raise):
            exc = self.expr(n.exc) if n.exc is not None else None
            cause = self.expr(n.cause.item) if n.cause is not None else None
            return ir.Raise(exc, cause, sp)
        if isinstance(n, cst.Assert):
            test = self.expr(n.test)
            return ir.Assert(test, self.expr(n.msg) if n.msg is not None else None, sp)
        if isinstance(n, cst.Del):
            t = n.target
            if isinstance(t, cst.Tuple) and not t.lpar:
                return ir.Delete([self.expr(e.value) for e in t.elements], sp)
            return ir.Delete([self.expr(t)], sp)
        if isinstance(n, cst.Pass):
            return ir.Jump("pass", sp)
        if isinstance(n, cst.Break):
            return ir.Jump("break", sp)
        if isinstance(n, cst.Continue):
            return ir.Jump("continue", sp)
        if isinstance(n, cst.Global):
            return ir.ScopeDecl("global", [x.name.value for x in n.names], sp)
        if isinstance(n, cst.Nonlocal):
            return ir.ScopeDecl("nonlocal", [x.name.value for x in n.names], sp)
        if isinstance(n, (cst.Import, cst.ImportFrom)):
            return ir.ImportStmt(import_bindings(n, sp), sp)
        return ir.OtherStmt(self._first_line(sp), sp)

    def compound(self, n: cst.CSTNode) -> ir.Stmt:
        sp = self.stmt_span
        if isinstance(n, cst.FunctionDef):
            return ir.FunctionStmt(self.function(n), sp)
        if isinstance(n, cst.ClassDef):
            return ir.ClassStmt(self.class_def(n), sp)
        if isinstance(n, cst.If):
            return self.if_stmt(n, sp, is_elif=False)
        if isinstance(n, cst.For):
            target = self.expr(n.target)
            it = self.expr(n.iter)
            body = self.lower_suite(n.body)
            orelse = self.lower_suite(n.orelse.body) if n.orelse is not None else []
            return ir.For(target, it, body, orelse, sp, n.asynchronous is not None)
        if isinstance(n, cst.While):
            test = self.expr(n.test)
            body = self.lower_suite(n.body)
            orelse = self.lower_suite(n.orelse.body) if n.orelse is not None else []
            return ir.While(test, body, orelse, sp)
        if isinstance(n, (cst.Try, cst.TryStar)):
            return self.try_stmt(n, sp)
        if isinstance(n, cst.With):
            items = []
            for item in n.items:
                ctx = self.expr(item.item)
                alias = self.expr(item.asname.name) if item.asname is not None else None
                items.append(ir.WithItem(ctx, alias))
            return ir.With(items, self.lower_suite(n.body), sp, n.asynchronous is not None)
        if isinstance(n, cst.Match):
            subject = self.expr(n.subject)
            bodies = [self.lower_suite(case.body) for case in n.cases]
            return ir.OtherStmt(self._first_line(sp), sp, [subject], bodies)
        return ir.OtherStmt(self._first_line(sp), sp)

    def if_stmt(self, n: cst.If, sp: Span, *, is_elif: bool) -> ir.If:
        test = self.expr(n.test)
        body = self.lower_suite(n.body)
        orelse: list[ir.Stmt] = []
        if isinstance(n.orelse, cst.If):
            elif_node = n.orelse
            orelse = [
                self._statement(
                    elif_node, lambda: self.if_stmt(elif_node, self.stmt_span, is_elif=True)
                )
            ]
        elif isinstance(n.orelse, cst.Else):
            orelse = self.lower_suite(n.orelse.body)
        return ir.If(test, body, orelse, sp, is_elif)

    def try_stmt(self, n: cst.Try | cst.TryStar, sp: Span) -> ir.Try:
        # Handler headers belong to the Try statement's scope (positions), bodies come later
        # in source order, so lower headers first, bodies second.
        body = self.lower_suite(n.body)
        headers = []
        for h in n.handlers:
            hsp = self._span("handler", h)
            htype = self.expr(h.type) if h.type is not None else None
            name = None
            if h.name is not None and isinstance(h.name.name, cst.Name):
                name = h.name.name.value
            headers.append((h, hsp, htype, name))
        handlers = [
            ir.Handler(htype, name, self.lower_suite(h.body), hsp)
            for h, hsp, htype, name in headers
        ]
        orelse = self.lower_suite(n.orelse.body) if n.orelse is not None else []
        final = self.lower_suite(n.finalbody.body) if n.finalbody is not None else []
        return ir.Try(body, handlers, orelse, final, sp, isinstance(n, cst.TryStar))

    def function(self, n: cst.FunctionDef) -> ir.FunctionDef:
        sp = self.stmt_span
        decorators = [self.decorator(d) for d in n.decorators]
        params = self.parameters(n.params)
        returns = self.expr(n.returns.annotation) if n.returns is not None else None
        name = n.name.value
        qualname = ".".join([*self.qual, name]) if self.qual else name
        module_level = not self.qual
        name_span = self._name_span(sp, name)
        code = self._code(decorators, sp)
        saved = (self.qual, self.in_class, self.saw_yield)
        self.qual = [*self.qual, name, "<locals>"]
        in_class = self.in_class
        self.in_class = None
        self.saw_yield = False
        try:
            body = self.lower_suite(n.body)
            is_gen = self.saw_yield
        finally:
            self.qual, self.in_class, self.saw_yield = saved
        fn = ir.FunctionDef(
            name=name,
            qualname=qualname,
            is_async=n.asynchronous is not None,
            params=params,
            returns=returns,
            returns_text=unparse(returns) if returns is not None else None,
            decorators=decorators,
            body=body,
            span=sp,
            name_span=name_span,
            code=code,
            module_level=module_level,
            in_class=in_class,
            is_generator=is_gen,
        )
        self.functions.append(fn)
        return fn

    def class_def(self, n: cst.ClassDef) -> ir.ClassDef:
        sp = self.stmt_span
        decorators = [self.decorator(d) for d in n.decorators]
        bases = [self.expr(a.value) for a in n.bases]
        for kw in n.keywords:
            self.expr(kw.value)
        name = n.name.value
        qualname = ".".join([*self.qual, name]) if self.qual else name
        saved = (self.qual, self.in_class)
        self.qual = [*self.qual, name]
        self.in_class = qualname
        try:
            body = self.lower_suite(n.body)
        finally:
            self.qual, self.in_class = saved
        methods = [s.func for s in body if isinstance(s, ir.FunctionStmt)]
        cls = ir.ClassDef(name, qualname, bases, decorators, methods, body, sp, not self.qual)
        self.classes.append(cls)
        return cls

    def decorator(self, d: cst.Decorator) -> ir.Decorator:
        e = self.expr(d.decorator)
        return ir.Decorator(e, unparse(e), _span_of(e, self.stmt_span))

    def parameters(self, p: cst.Parameters) -> list[ir.Param]:
        out: list[ir.Param] = []
        groups: list[tuple[str, Sequence[cst.Param]]] = [
            ("posonly", p.posonly_params),
            ("normal", p.params),
        ]
        if isinstance(p.star_arg, cst.Param):
            groups.append(("vararg", [p.star_arg]))
        groups.append(("kwonly", p.kwonly_params))
        if p.star_kwarg is not None:
            groups.append(("varkw", [p.star_kwarg]))
        for kind, params in groups:
            for prm in params:
                psp = self._span("arg", prm)
                ann = self.expr(prm.annotation.annotation) if prm.annotation is not None else None
                default = self.expr(prm.default) if prm.default is not None else None
                text = unparse(ann) if ann is not None else None
                out.append(ir.Param(prm.name.value, kind, ann, text, default, psp))
        return out

    # ------------------------------------------------------------------- expressions

    def expr(self, n: cst.CSTNode) -> ir.Expr:
        meth = _EXPR_DISPATCH.get(type(n))
        if meth is None:
            return self._unknown(n)
        result: ir.Expr = meth(self, n)
        return result

    def _unknown(self, n: cst.CSTNode) -> ir.Expr:
        try:
            text = self.module.code_for_node(n)
        except Exception:  # pragma: no cover - defensive
            text = type(n).__name__
        return self._track(ir.Unknown(text.strip(), self.stmt_span))  # type: ignore[no-any-return]

    def _name(self, n: cst.Name) -> ir.Expr:
        if n.value in _CONSTANT_NAMES:
            kind = "none" if n.value == "None" else "bool"
            sp = self._span("Constant", n)
            return self._track(ir.Const(_CONSTANT_NAMES[n.value], sp, kind))  # type: ignore[no-any-return]
        return self._track(ir.Name(n.value, self._span("Name", n)))  # type: ignore[no-any-return]

    def _attribute(self, n: cst.Attribute) -> ir.Expr:
        sp = self._span("Attribute", n)
        return self._track(ir.Attribute(self.expr(n.value), n.attr.value, sp))  # type: ignore[no-any-return]

    def _call(self, n: cst.Call) -> ir.Expr:
        sp = self._span("Call", n)
        func = self.expr(n.func)
        args = []
        for a in n.args:
            kw = a.keyword.value if a.keyword is not None else None
            args.append(ir.Arg(self.expr(a.value), kw, a.star if isinstance(a.star, str) else ""))
        return self._track(ir.Call(func, args, sp))  # type: ignore[no-any-return]

    def _await(self, n: cst.Await) -> ir.Expr:
        sp = self._span("Await", n)
        return self._track(ir.Await(self.expr(n.expression), sp))  # type: ignore[no-any-return]

    def _integer(self, n: cst.Integer) -> ir.Expr:
        try:
            value: object = int(n.value.replace("_", ""), 0)
        except ValueError:
            try:
                value = n.evaluated_value
            except ValueError:  # over the int/str conversion limit of this Python
                value = None
        if not isinstance(value, int) or value.bit_length() > _MAX_INT_BITS:
            # not followed: written out in decimal (plans, manifests) it would exceed
            # CPython's limit of 4,300 digits; the same on every Python
            text = n.value if len(n.value) <= 40 else f"{n.value[:20]}...{n.value[-8:]}"
            return self._track(ir.Unknown(text, self._span("Constant", n)))  # type: ignore[no-any-return]
        return self._const(n, value, "int")

    def _float(self, n: cst.Float) -> ir.Expr:
        try:
            value: object = float(n.value.replace("_", ""))
        except ValueError:
            value = n.evaluated_value
        return self._const(n, value, "float")

    def _imaginary(self, n: cst.Imaginary) -> ir.Expr:
        try:
            value: object = complex(n.value.replace("_", ""))
        except ValueError:
            value = n.evaluated_value
        return self._const(n, value, "complex")

    def _simple_string(self, n: cst.SimpleString) -> ir.Expr:
        value = _string_value(n.value)
        kind = "bytes" if isinstance(value, bytes) else "str"
        return self._const(n, value, kind)

    def _concat(self, n: cst.ConcatenatedString) -> ir.Expr:
        parts: list[cst.CSTNode] = []
        cur: cst.CSTNode = n
        while isinstance(cur, cst.ConcatenatedString):
            parts.append(cur.left)
            cur = cur.right
        parts.append(cur)
        if any(isinstance(p, cst.FormattedString) for p in parts):
            values: list[ir.Expr] = []
            for p in parts:
                if isinstance(p, cst.FormattedString):
                    values.extend(self._fstring_values(p))
            sp = self._span("fstring", n)
            return self._track(ir.FString(values, sp))  # type: ignore[no-any-return]
        try:
            value = n.evaluated_value
        except Exception:
            value = None
        kind = "bytes" if isinstance(value, bytes) else "str"
        return self._const(n, value, kind)

    def _const(self, n: cst.CSTNode, value: object, kind: str) -> ir.Expr:
        return self._track(ir.Const(value, self._span("Constant", n), kind))  # type: ignore[no-any-return]

    def _ellipsis(self, n: cst.Ellipsis) -> ir.Expr:
        return self._const(n, "...", "ellipsis")

    def _fstring_values(self, n: cst.FormattedString) -> list[ir.Expr]:
        values: list[ir.Expr] = []
        for part in n.parts:
            if isinstance(part, cst.FormattedStringExpression):
                values.append(self.expr(part.expression))
                if part.format_spec:
                    for sub in part.format_spec:
                        if isinstance(sub, cst.FormattedStringExpression):
                            values.append(self.expr(sub.expression))
        return values

    def _fstring(self, n: cst.FormattedString) -> ir.Expr:
        sp = self._span("fstring", n)
        return self._track(ir.FString(self._fstring_values(n), sp))  # type: ignore[no-any-return]

    def _elements(self, elements: Sequence[cst.BaseElement]) -> list[ir.Expr]:
        out: list[ir.Expr] = []
        for el in elements:
            if isinstance(el, cst.StarredElement):
                out.append(self._track(ir.Starred(self.expr(el.value), self.stmt_span)))
            else:
                out.append(self.expr(el.value))
        return out

    def _list(self, n: cst.List) -> ir.Expr:
        sp = self._span("List", n)
        return self._track(ir.Seq("list", self._elements(n.elements), sp))  # type: ignore[no-any-return]

    def _set(self, n: cst.Set) -> ir.Expr:
        sp = self._span("Set", n)
        return self._track(ir.Seq("set", self._elements(n.elements), sp))  # type: ignore[no-any-return]

    def _tuple(self, n: cst.Tuple) -> ir.Expr:
        elts = self._elements(n.elements)
        sp = _cover(elts, self.stmt_span)
        return self._track(ir.Seq("tuple", elts, sp))  # type: ignore[no-any-return]

    def _dict(self, n: cst.Dict) -> ir.Expr:
        sp = self._span("Dict", n)
        keys: list[ir.Expr | None] = []
        values: list[ir.Expr] = []
        for el in n.elements:
            if isinstance(el, cst.DictElement):
                keys.append(self.expr(el.key))
                values.append(self.expr(el.value))
            else:
                keys.append(None)
                values.append(self.expr(el.value))
        return self._track(ir.DictExpr(keys, values, sp))  # type: ignore[no-any-return]

    def _comp_for(self, f: cst.CompFor | None) -> list[ir.Comprehension]:
        gens: list[ir.Comprehension] = []
        while f is not None:
            target = self.expr(f.target)
            it = self.expr(f.iter)
            ifs = [self.expr(c.test) for c in f.ifs]
            gens.append(ir.Comprehension(target, it, ifs, f.asynchronous is not None))
            f = f.inner_for_in
        return gens

    def _simple_comp(self, n: cst.ListComp | cst.SetComp | cst.GeneratorExp) -> ir.Expr:
        sp = self._span("comp", n)
        if isinstance(n, cst.GeneratorExp) and not n.lpar and self.provider is None:
            # ast's span of a sole-argument generator includes the call's parentheses
            sp = Span(sp.line, sp.column + 1, sp.end_line, sp.end_column - 1)
        kind = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "gen"}[type(n)]
        elt = self.expr(n.elt)
        gens = self._comp_for(n.for_in)
        return self._track(ir.Comp(kind, elt, None, gens, sp))  # type: ignore[no-any-return]

    def _dict_comp(self, n: cst.DictComp) -> ir.Expr:
        sp = self._span("comp", n)
        key = self.expr(n.key)
        value = self.expr(n.value)
        gens = self._comp_for(n.for_in)
        return self._track(ir.Comp("dict", key, value, gens, sp))  # type: ignore[no-any-return]

    def _binop(self, n: cst.BinaryOperation) -> ir.Expr:
        sp = self._span("BinOp", n)
        left = self.expr(n.left)
        right = self.expr(n.right)
        op = _BINOPS.get(type(n.operator), "?")
        return self._track(ir.BinOp(op, left, right, sp))  # type: ignore[no-any-return]

    def _unary(self, n: cst.UnaryOperation) -> ir.Expr:
        sp = self._span("UnaryOp", n)
        op = _UNARY.get(type(n.operator), "?")
        return self._track(ir.UnaryOp(op, self.expr(n.expression), sp))  # type: ignore[no-any-return]

    def _boolop(self, n: cst.BooleanOperation) -> ir.Expr:
        op = "and" if isinstance(n.operator, cst.And) else "or"
        values: list[ir.Expr] = []
        for side in (n.left, n.right):
            if (
                isinstance(side, cst.BooleanOperation)
                and type(side.operator) is type(n.operator)
                and not side.lpar
            ):
                inner = self.expr(side)
                assert isinstance(inner, ir.BoolOp)
                values.extend(inner.values)
                self.made.remove(inner)
            else:
                values.append(self.expr(side))
        return self._track(ir.BoolOp(op, values, _cover(values, self.stmt_span)))  # type: ignore[no-any-return]

    def _compare(self, n: cst.Comparison) -> ir.Expr:
        sp = self._span("Compare", n)
        left = self.expr(n.left)
        ops = [_CMP.get(type(c.operator), "?") for c in n.comparisons]
        comps = [self.expr(c.comparator) for c in n.comparisons]
        return self._track(ir.Compare(left, ops, comps, sp))  # type: ignore[no-any-return]

    def _subscript(self, n: cst.Subscript) -> ir.Expr:
        sp = self._span("Subscript", n)
        value = self.expr(n.value)
        items: list[ir.Expr] = []
        for el in n.slice:
            s = el.slice
            if isinstance(s, cst.Index):
                v = self.expr(s.value)
                if s.star is not None:
                    v = self._track(ir.Starred(v, self.stmt_span))
                items.append(v)
            else:
                assert isinstance(s, cst.Slice)
                lower = self.expr(s.lower) if s.lower is not None else None
                upper = self.expr(s.upper) if s.upper is not None else None
                step = self.expr(s.step) if s.step is not None else None
                items.append(self._track(ir.Slice(lower, upper, step, self.stmt_span)))
        index = items[0] if len(items) == 1 else ir.Seq("tuple", items, _cover(items, sp))
        return self._track(ir.Subscript(value, index, sp))  # type: ignore[no-any-return]

    def _ifexp(self, n: cst.IfExp) -> ir.Expr:
        sp = self._span("IfExp", n)
        body = self.expr(n.body)
        test = self.expr(n.test)
        orelse = self.expr(n.orelse)
        return self._track(ir.IfExp(test, body, orelse, sp))  # type: ignore[no-any-return]

    def _lambda(self, n: cst.Lambda) -> ir.Expr:
        sp = self._span("Lambda", n)
        params = self.parameters(n.params)
        defaults = [p.default for p in params if p.default is not None]
        body = self.expr(n.body)
        return self._track(ir.Lambda([p.name for p in params], defaults, body, sp))  # type: ignore[no-any-return]

    def _named(self, n: cst.NamedExpr) -> ir.Expr:
        sp = self._span("NamedExpr", n)
        target = self.expr(n.target)
        value = self.expr(n.value)
        if not isinstance(target, ir.Name):
            return self._track(ir.Unknown("(:=)", sp, [target, value]))  # type: ignore[no-any-return]
        return self._track(ir.NamedExpr(target, value, sp))  # type: ignore[no-any-return]

    def _yield(self, n: cst.Yield) -> ir.Expr:
        sp = self._span("Yield", n)
        self.saw_yield = True
        v = n.value
        if isinstance(v, cst.From):
            return self._track(ir.Yield(self.expr(v.item), True, sp))  # type: ignore[no-any-return]
        return self._track(ir.Yield(self.expr(v) if v is not None else None, False, sp))  # type: ignore[no-any-return]

    def _starred(self, n: cst.StarredElement) -> ir.Expr:
        return self._track(ir.Starred(self.expr(n.value), self.stmt_span))  # type: ignore[no-any-return]

    # ------------------------------------------------------------------------ helpers

    def _first_line(self, sp: Span) -> str:
        if 1 <= sp.line <= len(self.lines):
            return self.lines[sp.line - 1].strip()
        return ""

    def _name_span(self, sp: Span, name: str) -> Span:
        if 1 <= sp.line <= len(self.lines):
            text = self.lines[sp.line - 1]
            i = text.find(name, max(0, sp.column - 1))
            if i >= 0:
                return Span(sp.line, i + 1, sp.line, i + 1 + len(name))
        return sp

    def _code(self, decorators: list[ir.Decorator], sp: Span) -> str:
        start = min([sp.line, *(d.span.line for d in decorators)])
        return textwrap.dedent("\n".join(self.lines[start - 1 : sp.end_line]))


class _Desync(Exception):
    """The ast and libcst trees disagree; the caller falls back to libcst positions."""


def _string_value(text: str) -> str | bytes | None:
    """The value of a string literal; plain literals without escapes skip ``literal_eval``."""
    q = text[0]
    if q in "\"'" and "\\" not in text:
        if text.startswith(q * 3) and len(text) >= 6:
            return text[3:-3]
        return text[1:-1]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes warn on newer Pythons, same value
            value = ast.literal_eval(text)
    except Exception:
        return None
    return value if isinstance(value, (str, bytes)) else None


def _cover(exprs: Sequence[ir.Expr], default: Span) -> Span:
    spans = [e.span for e in exprs]
    if not spans:
        return default
    first, last = spans[0], spans[-1]
    return Span(first.line, first.column, last.end_line, last.end_column)


def _span_of(e: ir.Expr, default: Span) -> Span:
    sp = getattr(e, "span", None)
    return sp if isinstance(sp, Span) else default


def _provider_span(provider: Any, node: cst.CSTNode) -> Span:
    r = provider.get(node)
    if r is None:
        return Span(1, 1, 1, 1)
    return Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)


_EXPR_DISPATCH: dict[type[cst.CSTNode], Callable[[Lowerer, Any], ir.Expr]] = {
    cst.Name: Lowerer._name,
    cst.Attribute: Lowerer._attribute,
    cst.Call: Lowerer._call,
    cst.Await: Lowerer._await,
    cst.Integer: Lowerer._integer,
    cst.Float: Lowerer._float,
    cst.Imaginary: Lowerer._imaginary,
    cst.SimpleString: Lowerer._simple_string,
    cst.ConcatenatedString: Lowerer._concat,
    cst.FormattedString: Lowerer._fstring,
    cst.Ellipsis: Lowerer._ellipsis,
    cst.List: Lowerer._list,
    cst.Set: Lowerer._set,
    cst.Tuple: Lowerer._tuple,
    cst.Dict: Lowerer._dict,
    cst.ListComp: Lowerer._simple_comp,
    cst.SetComp: Lowerer._simple_comp,
    cst.GeneratorExp: Lowerer._simple_comp,
    cst.DictComp: Lowerer._dict_comp,
    cst.BinaryOperation: Lowerer._binop,
    cst.UnaryOperation: Lowerer._unary,
    cst.BooleanOperation: Lowerer._boolop,
    cst.Comparison: Lowerer._compare,
    cst.Subscript: Lowerer._subscript,
    cst.IfExp: Lowerer._ifexp,
    cst.Lambda: Lowerer._lambda,
    cst.NamedExpr: Lowerer._named,
    cst.Yield: Lowerer._yield,
    cst.StarredElement: Lowerer._starred,
}


def import_bindings(n: cst.Import | cst.ImportFrom, sp: Span) -> list[ir.ImportBinding]:
    """The names an import statement binds (relative modules keep their dots for now)."""
    out: list[ir.ImportBinding] = []
    if isinstance(n, cst.Import):
        for alias in n.names:
            full = _dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                out.append(ir.ImportBinding(alias.asname.name.value, full, None, sp))
            else:
                top = full.split(".")[0]
                out.append(ir.ImportBinding(top, top, None, sp, submodule=full))
        return out
    module = _dotted(n.module) if n.module is not None else ""
    level = len(n.relative)
    if isinstance(n.names, cst.ImportStar):
        out.append(ir.ImportBinding("*", module, None, sp, level=level, star=True))
        return out
    for alias in n.names:
        name = _dotted(alias.name)
        local = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        out.append(ir.ImportBinding(local, module, name, sp, level=level))
    return out


def _dotted(n: cst.CSTNode) -> str:
    if isinstance(n, cst.Name):
        return n.value
    if isinstance(n, cst.Attribute):
        return f"{_dotted(n.value)}.{n.attr.value}"
    return ""
