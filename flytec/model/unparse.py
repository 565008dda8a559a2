"""Source-like text of IR expressions (for messages, annotation texts and plans)."""

from __future__ import annotations

from flytec.model import body as ir


def unparse(e: ir.Expr | None) -> str:
    """Source-like text of an IR expression (for messages and annotation texts)."""
    if e is None:
        return ""
    if isinstance(e, ir.Name):
        return e.id
    if isinstance(e, ir.Attribute):
        return f"{unparse(e.value)}.{e.attr}"
    if isinstance(e, ir.Const):
        if e.kind == "ellipsis":
            return "..."
        return repr(e.value)
    if isinstance(e, ir.Subscript):
        idx = e.index
        inner = (
            ", ".join(unparse(x) for x in idx.elts)
            if isinstance(idx, ir.Seq) and idx.kind == "tuple"
            else unparse(idx)
        )
        return f"{unparse(e.value)}[{inner}]"
    if isinstance(e, ir.Seq):
        inner = ", ".join(unparse(x) for x in e.elts)
        if e.kind == "list":
            return f"[{inner}]"
        if e.kind == "set":
            return "{" + inner + "}"
        return f"({inner}{',' if len(e.elts) == 1 else ''})"
    if isinstance(e, ir.Call):
        parts = []
        for a in e.args:
            v = unparse(a.value)
            parts.append(f"{a.keyword}={v}" if a.keyword else f"{a.star}{v}")
        return f"{unparse(e.func)}({', '.join(parts)})"
    if isinstance(e, ir.BinOp):
        return f"{unparse(e.left)} {e.op} {unparse(e.right)}"
    if isinstance(e, ir.Await):
        return f"await {unparse(e.value)}"
    if isinstance(e, ir.Starred):
        return f"*{unparse(e.value)}"
    if isinstance(e, ir.UnaryOp):
        sep = " " if e.op == "not" else ""
        return f"{e.op}{sep}{unparse(e.operand)}"
    if isinstance(e, ir.Compare):
        out = unparse(e.left)
        for op, c in zip(e.ops, e.comparators):
            out += f" {op} {unparse(c)}"
        return out
    if isinstance(e, ir.BoolOp):
        return f" {e.op} ".join(unparse(v) for v in e.values)
    if isinstance(e, ir.DictExpr):
        items = [
            f"{unparse(k)}: {unparse(v)}" if k is not None else f"**{unparse(v)}"
            for k, v in zip(e.keys, e.values)
        ]
        return "{" + ", ".join(items) + "}"
    if isinstance(e, ir.Unknown):
        return e.text
    if isinstance(e, ir.FString):
        return 'f"..."'
    if isinstance(e, ir.Comp):
        return {"list": "[...]", "set": "{...}", "dict": "{...}", "gen": "(...)"}[e.kind]
    if isinstance(e, ir.IfExp):
        return f"{unparse(e.body)} if {unparse(e.test)} else {unparse(e.orelse)}"
    if isinstance(e, ir.Lambda):
        return f"lambda {', '.join(e.params)}: {unparse(e.body)}"
    if isinstance(e, ir.Slice):
        return f"{unparse(e.lower)}:{unparse(e.upper)}" + (f":{unparse(e.step)}" if e.step else "")
    if isinstance(e, ir.NamedExpr):
        return f"{e.target.id} := {unparse(e.value)}"
    if isinstance(e, ir.Yield):
        return "yield"
    return "<expr>"


#: binding strength of Python's operators (higher binds tighter)
_PREC = {
    "lambda": 0, "if": 1, "or": 2, "and": 3, "not": 4, "cmp": 5, "|": 6, "^": 7, "&": 8,
    "<<": 9, ">>": 9, "+": 10, "-": 10, "*": 11, "/": 11, "//": 11, "%": 11, "@": 11,
    "unary": 12, "**": 13, "await": 14,
}
_ATOM = 16


def _prec(e: ir.Expr) -> int:
    if isinstance(e, ir.Lambda):
        return _PREC["lambda"]
    if isinstance(e, ir.IfExp):
        return _PREC["if"]
    if isinstance(e, ir.BoolOp):
        return _PREC[e.op]
    if isinstance(e, ir.UnaryOp):
        return _PREC["not"] if e.op == "not" else _PREC["unary"]
    if isinstance(e, ir.Compare):
        return _PREC["cmp"]
    if isinstance(e, ir.BinOp):
        return _PREC.get(e.op, 10)
    if isinstance(e, ir.Await):
        return _PREC["await"]
    if isinstance(e, ir.NamedExpr):
        return -1
    return _ATOM


def unparse_code(e: ir.Expr) -> str:
    """Python code of an IR expression that parses back to it: like :func:`unparse`, with
    the parentheses operator precedence needs (for code run by glue, not for messages)."""

    def sub(x: ir.Expr, least: int) -> str:
        t = unparse_code(x)
        return f"({t})" if _prec(x) < least else t

    if isinstance(e, ir.IfExp):
        p = _PREC["if"]
        return f"{sub(e.body, p + 1)} if {sub(e.test, p + 1)} else {sub(e.orelse, p)}"
    if isinstance(e, ir.BoolOp):
        p = _PREC[e.op]
        return f" {e.op} ".join(sub(v, p + 1) for v in e.values)
    if isinstance(e, ir.UnaryOp):
        p = _prec(e)
        sep = " " if e.op == "not" else ""
        return f"{e.op}{sep}{sub(e.operand, p)}"
    if isinstance(e, ir.Compare):
        p = _PREC["cmp"]
        out = sub(e.left, p + 1)
        for op, c in zip(e.ops, e.comparators):
            out += f" {op} {sub(c, p + 1)}"
        return out
    if isinstance(e, ir.BinOp):
        p = _prec(e)
        if e.op == "**":  # right-associative
            return f"{sub(e.left, p + 1)} ** {sub(e.right, p)}"
        return f"{sub(e.left, p)} {e.op} {sub(e.right, p + 1)}"
    if isinstance(e, (ir.Name, ir.Const)):
        return unparse(e)
    if isinstance(e, ir.Attribute):
        return f"{sub(e.value, _ATOM)}.{e.attr}"
    return unparse(e)
