"""Whether glue code can be seen outside the task's local variables (its side effects).

Glue with a side effect is kept in the plan even when nothing reads its value, and runs in
program order with the other side effects and the awaited calls.
"""

from __future__ import annotations

from flytec.model import body as ir

#: builtins without side effects: a statement calling only these changes nothing but locals
PURE_BUILTINS = frozenset({
    "abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float",
    "format", "frozenset", "hash", "int", "isinstance", "issubclass", "len", "list", "map",
    "max", "min", "range", "repr", "reversed", "round", "set", "sorted", "str", "sum",
    "tuple", "type", "zip",
})


#: functions of the standard library that only compute a value
PURE_EXTERNAL_PREFIXES = (
    "math.", "cmath.", "itertools.", "functools.", "operator.", "statistics.", "string.",
    "re.", "dataclasses.", "datetime.", "decimal.", "fractions.", "collections.", "copy.",
    "typing.", "enum.", "textwrap.", "heapq.", "bisect.",
)
PURE_EXTERNAL = frozenset({"json.dumps", "json.loads", "pathlib.Path", "pathlib.PurePath"})


def pure_external(dotted: str) -> bool:
    """Whether calling the external ``dotted`` (builtins included) only computes a value."""
    name = dotted.removeprefix("builtins.")
    if "." not in name:
        return name in PURE_BUILTINS
    return dotted in PURE_EXTERNAL or dotted.startswith(PURE_EXTERNAL_PREFIXES)


def expr_has_effect(e: ir.Expr, local: frozenset[str]) -> bool:
    """Whether evaluating ``e`` can be seen outside the task's locals: it calls something
    other than a pure builtin, or awaits, or yields."""
    for y in ir.walk_expr(e):
        if isinstance(y, (ir.Await, ir.Yield)):
            return True
        if isinstance(y, ir.Call) and not (
            isinstance(y.func, ir.Name) and y.func.id in PURE_BUILTINS
            and y.func.id not in local
        ):
            return True
    return False


def has_effect(s: ir.Stmt, local: frozenset[str]) -> bool:
    """Whether running ``s`` can be seen outside the task's local variables: it calls
    something (other than a pure builtin), awaits, asserts, deletes an item or an attribute,
    raises, assigns to an attribute or an item of a value, or to a name that is not local."""
    for x in ir.walk_stmts([s]):
        if isinstance(x, (ir.Assert, ir.Raise)):
            return True
        if isinstance(x, ir.Delete) and not all(isinstance(t, ir.Name) for t in x.targets):
            return True
        targets: list[ir.Expr] = []
        if isinstance(x, ir.Assign):
            targets = list(x.targets)
        elif isinstance(x, (ir.AugAssign, ir.AnnAssign)):
            targets = [x.target]
        for t in targets:
            for y in ir.walk_expr(t):
                if isinstance(y, (ir.Attribute, ir.Subscript)):
                    return True
                if isinstance(y, ir.Name) and y.id not in local:
                    return True
        if any(expr_has_effect(e, local) for e in ir.stmt_exprs(x)):
            return True
    return False
