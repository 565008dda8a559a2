"""``ContainerTask(...)`` built in a task's body from literal arguments.

A ``flyte.extras.ContainerTask`` is never a project task: calling one is what calling a
module-level ``ContainerTask`` is, an awaited call run by glue code (locally the runtime's
stand-in, which returns ``None``). So a local bound once, at the top of the body, to a
``ContainerTask`` whose every argument is a literal, a module constant, a type or a
``flyte.Image``/``flyte.Resources`` value built from literals, is called like the
module-level one. Any other local callable keeps the task dynamic.
"""

from __future__ import annotations

from collections.abc import Callable

from flytec.compiler.recover.scopes import target_names
from flytec.compiler.workflow.source import stored_targets
from flytec.model import body as ir

CONTAINER_TASK = "flyte.extras.ContainerTask"
#: calls allowed inside the arguments (with literal arguments themselves)
_LITERAL_CALLS = ("flyte.Image.", "flyte.Resources", "flyte.Secret", "datetime.timedelta")


def literal_arguments(
    call: ir.Call,
    folds: Callable[[ir.Expr], bool],
    external: Callable[[ir.Expr], str | None],
) -> bool:
    """Whether every argument of ``call`` is known without running the body: ``folds``
    says whether an expression constant-folds, ``external`` names what a name or attribute
    refers to outside the project (``builtins.int``, ``flyte.io.File``)."""

    def ok(e: ir.Expr) -> bool:
        if isinstance(e, ir.Const) or folds(e):
            return True
        if isinstance(e, (ir.Name, ir.Attribute)):
            return external(e) is not None  # a type: `int`, `File`, `flyte.io.Dir`
        if isinstance(e, ir.Seq):
            return all(ok(x) for x in e.elts)
        if isinstance(e, ir.DictExpr):
            return all(k is not None and ok(k) for k in e.keys) and all(
                ok(v) for v in e.values)
        if isinstance(e, ir.Call):
            name = external(e.func) if isinstance(e.func, (ir.Name, ir.Attribute)) else None
            return name is not None and name.startswith(_LITERAL_CALLS) and all(
                not a.star and ok(a.value) for a in e.args)
        return False

    return all(not a.star and ok(a.value) for a in call.args)


def bound_once_at_top(fn: ir.FunctionDef, stmt: ir.Stmt, name: str) -> bool:
    """Whether ``stmt`` is a statement of ``fn``'s own body (not in a branch, loop or
    handler) and the only one binding ``name`` (nested functions do not count)."""
    if not any(s is stmt for s in fn.body) or fn.param(name) is not None:
        return False
    for s in ir.walk_stmts(fn.body):
        if s is stmt:
            continue
        if binds(s, name):
            return False
    return True


def binds(s: ir.Stmt, name: str) -> bool:
    """Whether ``s`` itself (not its nested statements) binds ``name``."""
    if isinstance(s, ir.Try):
        return any(h.name == name for h in s.handlers)
    if isinstance(s, ir.ImportStmt):
        return any(b.local == name for b in s.bindings)
    if isinstance(s, ir.FunctionStmt):
        return s.func.name == name
    if isinstance(s, ir.ClassStmt):
        return s.cls.name == name
    if isinstance(s, (ir.ScopeDecl, ir.Delete)):
        return name in getattr(s, "names", ()) or any(
            name in target_names(t) for t in getattr(s, "targets", ()))
    if any(name in target_names(t) for t in stored_targets(s)):
        return True
    for e in ir.stmt_exprs(s):
        for x in ir.walk_expr(e):
            if isinstance(x, ir.NamedExpr) and x.target.id == name:
                return True
    return False
