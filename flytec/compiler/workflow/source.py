"""Source text of expressions and statements of one function (for glue code in plans)."""

from __future__ import annotations

import ast
import textwrap

from flytec.model import body as ir
from flytec.model.span import Span
from flytec.model.unparse import unparse_code


class SourceText:
    """Slices a function's source by spans; replaced sub-ranges become placeholder names."""

    def __init__(self, fn: ir.FunctionDef) -> None:
        self.lines = fn.code.splitlines()
        self.start = min([fn.span.line, *(d.span.line for d in fn.decorators)])
        self.shift = fn.span.column - 1

    def _line(self, n: int) -> str | None:
        i = n - self.start
        if 0 <= i < len(self.lines):
            return self.lines[i]
        return None

    def text(
        self, span: Span, replace: list[tuple[Span, str]] | None = None, *, stmt: bool = False
    ) -> str | None:
        lines: list[str] = []
        for n in range(span.line, span.end_line + 1):
            line = self._line(n)
            if line is None:
                return None
            lines.append(line)
        offsets: list[int] = []
        pos = 0
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 1
        flat = "\n".join(lines)

        def off(line: int, col: int) -> int:
            return offsets[line - span.line] + max(col - 1 - self.shift, 0)

        start, end = off(span.line, span.column), off(span.end_line, span.end_column)
        reps = sorted(replace or [], key=lambda r: (r[0].line, r[0].column), reverse=True)
        for sp, name in reps:
            a, b = off(sp.line, sp.column), off(sp.end_line, sp.end_column)
            if a < start or b > end:
                return None
            flat = flat[:a] + name + flat[b:]
            end += len(name) - (b - a)
        out = flat[start:end]
        if stmt and "\n" in out:
            pad = " " * (start - flat.rfind("\n", 0, start) - 1)
            out = textwrap.dedent(pad + out)
        return out


def expr_text(src: SourceText, e: ir.Expr, replace: list[tuple[Span, str]] | None = None) -> str:
    t = src.text(e.span, replace)
    if not t or (replace and any(name not in t for _, name in replace)):
        return unparse_code(e)
    if not _parses(t):
        # The frontend gives some expressions (e.g. inside f-strings on Python < 3.12) the
        # span of their whole statement: take the statement's value instead.
        value = _statement_value(t)
        return value if value is not None and not replace else unparse_code(e)
    return t


def _parses(text: str) -> bool:
    try:
        ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        try:
            ast.parse("(" + text.strip() + "\n)", mode="eval")
        except SyntaxError:
            return False
    return True


def _statement_value(text: str) -> str | None:
    try:
        tree = ast.parse(textwrap.dedent(text))
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    s = tree.body[0]
    value = getattr(s, "value", None)
    if isinstance(s, (ast.Return, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)) and (
        isinstance(value, ast.expr)
    ):
        return ast.get_source_segment(textwrap.dedent(text), value)
    return None


def bound_inside(e: ir.Expr) -> set[str]:
    """Names bound inside ``e`` itself (comprehension targets, lambda parameters)."""
    out: set[str] = set()
    for x in ir.walk_expr(e):
        if isinstance(x, ir.Comp):
            for g in x.generators:
                for t in ir.walk_expr(g.target):
                    if isinstance(t, ir.Name):
                        out.add(t.id)
        elif isinstance(x, ir.Lambda):
            out.update(x.params)
    return out


def free_names(exprs: list[ir.Expr]) -> list[str]:
    """Names read by ``exprs`` (not bound inside them), in first-use order."""
    seen: list[str] = []
    for e in exprs:
        inner = bound_inside(e)
        for x in ir.walk_expr(e):
            if isinstance(x, ir.Name) and x.id not in inner and x.id not in seen:
                seen.append(x.id)
    return seen


def stmt_names(body: list[ir.Stmt]) -> tuple[list[str], list[str]]:
    """(names read, names written) by a statement list, in first-use order."""
    from flytec.compiler.recover.scopes import target_names

    reads: list[str] = []
    writes: list[str] = []
    for s in ir.walk_stmts(body):
        targets = stored_targets(s)
        for t in targets:
            for n in target_names(t):
                if n not in writes:
                    writes.append(n)
        if isinstance(s, ir.AugAssign) and isinstance(s.target, ir.Name):
            if s.target.id not in reads:
                reads.append(s.target.id)
        exprs = [e for e in ir.stmt_exprs(s) if not any(e is t for t in targets)]
        for n in free_names([*exprs, *_target_reads(targets)]):
            if n not in reads:
                reads.append(n)
        # mutation through methods or subscripts: x.append(...), x[k] = v
        for e in [*exprs, *targets]:
            for x in ir.walk_expr(e):
                base = None
                if isinstance(x, ir.Call) and isinstance(x.func, ir.Attribute):
                    base = x.func.value
                elif isinstance(x, ir.Subscript) and any(x is t for t in targets):
                    base = x.value
                if isinstance(base, ir.Name) and base.id not in writes:
                    writes.append(base.id)
    return reads, writes


def _target_reads(targets: list[ir.Expr]) -> list[ir.Expr]:
    """What assigning to ``targets`` reads: ``d`` and ``k`` of ``d[k] = v``, ``o`` of
    ``o.x = v`` (a plain name is only written)."""
    out: list[ir.Expr] = []
    for t in targets:
        if isinstance(t, ir.Subscript):
            out.extend([t.value, t.index])
        elif isinstance(t, ir.Attribute):
            out.append(t.value)
        elif isinstance(t, ir.Seq):
            out.extend(_target_reads(t.elts))
        elif isinstance(t, ir.Starred):
            out.extend(_target_reads([t.value]))
    return out


def stored_targets(s: ir.Stmt) -> list[ir.Expr]:
    """The targets statement ``s`` (not its nested statements) stores a value in: assignment
    targets, a ``for`` loop's target, ``with ... as`` targets."""
    if isinstance(s, ir.Assign):
        return list(s.targets)
    if isinstance(s, (ir.AugAssign, ir.AnnAssign, ir.For)):
        return [s.target]
    if isinstance(s, ir.With):
        return [it.target for it in s.items if it.target is not None]
    return []


def assignment_targets(s: ir.Stmt) -> list[ir.Expr]:
    """What statement ``s`` (not its nested statements) assigns to or deletes."""
    if isinstance(s, (ir.Assign, ir.Delete)):
        return list(s.targets)
    if isinstance(s, (ir.AugAssign, ir.AnnAssign)):
        return [s.target]
    return []


def mutated_names(s: ir.Stmt) -> list[str]:
    """Names whose value statement ``s`` changes in place: ``x.append(...)``, ``x[k] = v``,
    ``x.attr = v``, ``x[k] += 1``."""
    out: list[str] = []
    for x in ir.walk_stmts([s]):
        for t in assignment_targets(x):
            for y in ir.walk_expr(t):
                if isinstance(y, (ir.Subscript, ir.Attribute)) and isinstance(y.value, ir.Name):
                    out.append(y.value.id)
        for e in ir.stmt_exprs(x):
            for y in ir.walk_expr(e):
                if isinstance(y, ir.Call) and isinstance(y.func, ir.Attribute) and isinstance(
                    y.func.value, ir.Name
                ) and y.func.attr in MUTATORS:
                    out.append(y.func.value.id)
    return list(dict.fromkeys(out))


#: methods that change the container they are called on
MUTATORS = frozenset({
    "append", "extend", "insert", "remove", "pop", "clear", "add", "discard", "update",
    "setdefault", "popitem", "sort", "reverse", "difference_update", "intersection_update",
    "symmetric_difference_update", "appendleft", "extendleft", "popleft", "rotate",
})
