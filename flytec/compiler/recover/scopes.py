"""Local names of a function (what shadows module-level names inside it)."""

from __future__ import annotations

from flytec.model import body as ir


def target_names(t: ir.Expr) -> list[str]:
    if isinstance(t, ir.Name):
        return [t.id]
    if isinstance(t, ir.Seq):
        out: list[str] = []
        for e in t.elts:
            out.extend(target_names(e))
        return out
    if isinstance(t, ir.Starred):
        return target_names(t.value)
    return []


def declared_globals(fn: ir.FunctionDef) -> set[str]:
    out: set[str] = set()
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.ScopeDecl) and s.kind == "global":
            out.update(s.names)
    return out


def local_names(fn: ir.FunctionDef) -> frozenset[str]:
    """Parameters and every name bound in the body, minus ``global`` declarations."""
    if fn.locals is None:  # the frontend fills it; IR made otherwise gets it here, once
        fn.calls, fn.locals = function_facts(fn)
    return fn.locals


def calls_of(fn: ir.FunctionDef) -> list[ir.Call]:
    """Every call in the body of ``fn`` (not in nested defs), in walk order."""
    if fn.calls is None:
        fn.calls, fn.locals = function_facts(fn)
    return fn.calls


def function_facts(fn: ir.FunctionDef) -> tuple[list[ir.Call], frozenset[str]]:
    """One walk over a body: its calls (walk order, not entering nested defs) and its local
    names (parameters and every name bound in the body, minus ``global`` declarations)."""
    names: set[str] = {p.name for p in fn.params}
    declared: set[str] = set()
    calls: list[ir.Call] = []
    for s in ir.walk_stmts(fn.body):
        if isinstance(s, ir.Assign):
            for t in s.targets:
                names.update(target_names(t))
        elif isinstance(s, (ir.AugAssign, ir.AnnAssign)):
            names.update(target_names(s.target))
        elif isinstance(s, ir.For):
            names.update(target_names(s.target))
        elif isinstance(s, ir.With):
            for it in s.items:
                if it.target is not None:
                    names.update(target_names(it.target))
        elif isinstance(s, ir.Try):
            names.update(h.name for h in s.handlers if h.name)
        elif isinstance(s, ir.ImportStmt):
            names.update(b.local for b in s.bindings)
        elif isinstance(s, ir.FunctionStmt):
            names.add(s.func.name)
        elif isinstance(s, ir.ClassStmt):
            names.add(s.cls.name)
        elif isinstance(s, ir.ScopeDecl) and s.kind == "global":
            declared.update(s.names)
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Call):
                    calls.append(x)
                elif isinstance(x, ir.NamedExpr):
                    names.add(x.target.id)
                elif isinstance(x, ir.Comp):
                    for g in x.generators:
                        names.update(target_names(g.target))
    return calls, frozenset(names - declared)


def module_calls(body: list[ir.Stmt]) -> list[ir.Call]:
    """Calls of module-level code (walk order, not entering defs)."""
    return [x for s in ir.walk_stmts(body) for e in ir.stmt_exprs(s) for x in ir.walk_expr(e)
            if isinstance(x, ir.Call)]


def enclosing_locals(fn: ir.FunctionDef, by_qualname: dict[str, ir.FunctionDef]) -> frozenset[str]:
    """Locals of ``fn`` and of the functions it is nested in (closures)."""
    names = set(local_names(fn))
    parts = fn.qualname.split(".<locals>.")
    for i in range(1, len(parts)):
        outer = by_qualname.get(".<locals>.".join(parts[:i]))
        if outer is not None:
            names |= local_names(outer)
    return frozenset(names)
