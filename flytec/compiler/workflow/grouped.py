"""Coroutines collected into a dict of lists, then gathered one key at a time.

flyte-sdk's ``group_dynamic``::

    vals = {"even": [], "odd": []}
    for x in range(n):
        if x % 2 == 0:
            group = "even"
        else:
            group = "odd"
        vals[group].append(double(x))
    o1 = await asyncio.gather(*vals["even"])
    o2 = await asyncio.gather(*vals["odd"])

In Python the calls of a key run when that key's list is gathered. So the body is read as
one loop per gathered key, each appending to a list of its own only when the key is that
one (``if group == "even": vals__even.append(double(x))``), and each gather reads its own
list: the compiler's filtered fan-out, launched at its gather. The rewrite is made only when
the structure is certain (:func:`regroup` lists the conditions); otherwise the body is
interpreted as written (and stays dynamic with the reason it had).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator

from flytec.compiler.recover.scopes import function_facts, target_names
from flytec.compiler.workflow.container_tasks import binds, bound_once_at_top
from flytec.model import body as ir
from flytec.model.span import Span

#: operators of the conditions choosing a key: none raises on the values they compare
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}
_ARITH = {"+", "-", "*", "%", "//"}


def regroup(
    fn: ir.FunctionDef,
    is_gather: Callable[[ir.Expr], bool],
    is_task: Callable[[ir.Expr], bool],
) -> ir.FunctionDef:
    """``fn`` with each dict of coroutine lists split into one loop and one list per
    gathered key, or ``fn`` itself when its body has no such dict. The conditions:

    * ``d = {k1: [], k2: [], ...}`` (constant keys) at the top of the body, ``d`` bound
      nowhere else and read only as below (not by nested functions);
    * one ``for`` loop (no ``else``, not ``async``) at the top of the body, after it, ending
      in ``d[KEY].append(task(a, ...))``: ``task`` a project task, its arguments names and
      constants; the statements before it only choose the key: ``if``/``else`` on
      comparisons and arithmetic by constants, and ``KEY = "k"`` with a key of ``d``
      (``KEY`` set on every path, by nothing else in the body), or ``KEY`` a key of ``d``;
    * after the loop, ``asyncio.gather(*d[k])`` with a constant key ``k``, each key at most
      once and not in a loop.
    """
    for i, s in enumerate(fn.body):
        plan = _match(fn, i, s, is_gather, is_task)
        if plan is not None:
            new = copy.deepcopy(fn)
            new.locals = None
            new.calls = None
            plan2 = _match(new, i, new.body[i], is_gather, is_task)
            assert plan2 is not None
            _apply(new, plan2)
            return regroup(new, is_gather, is_task)
    return fn


class _Plan:
    def __init__(self, name: str, loop: int, key: ir.Expr, call: ir.Call,
                 gathers: list[tuple[ir.Call, object]]) -> None:
        self.name, self.loop, self.key, self.call, self.gathers = name, loop, key, call, gathers


def _match(
    fn: ir.FunctionDef, i: int, s: ir.Stmt,
    is_gather: Callable[[ir.Expr], bool], is_task: Callable[[ir.Expr], bool],
) -> _Plan | None:
    target = s.targets[0] if isinstance(s, ir.Assign) and len(s.targets) == 1 else (
        s.target if isinstance(s, ir.AnnAssign) else None)
    d = s.value if isinstance(s, (ir.Assign, ir.AnnAssign)) else None
    if not isinstance(target, ir.Name) or not isinstance(d, ir.DictExpr):
        return None
    name = target.id
    keys: list[object] = []
    for k, v in zip(d.keys, d.values):
        if not (isinstance(k, ir.Const) and k.kind in ("str", "int")
                and isinstance(v, ir.Seq) and v.kind == "list" and not v.elts):
            return None
        keys.append(k.value)
    if not keys or len(set(map(repr, keys))) != len(keys) or not bound_once_at_top(fn, s, name):
        return None
    loops = [j for j in range(i + 1, len(fn.body)) if _reads(fn.body[j], name)]
    if not loops or not isinstance(fn.body[loops[0]], ir.For):
        return None
    j = loops[0]
    loop = fn.body[j]
    assert isinstance(loop, ir.For)
    if loop.orelse or loop.is_async or not loop.body or not _plain_iter(fn, loop.iter):
        return None
    last = loop.body[-1]
    append = _append_of(last, name)
    if append is None:
        return None
    key, call = append
    if not (isinstance(call.func, ir.Name) and is_task(call.func) and all(
            not a.star and isinstance(a.value, (ir.Name, ir.Const)) and (
                not isinstance(a.value, ir.Name) or a.value.id != name) for a in call.args)):
        return None
    choosing = loop.body[:-1]
    if any(_reads(x, name) for x in choosing) or not _chooses(fn, loop, choosing, key, keys):
        return None
    gathers: list[tuple[ir.Call, object]] = []
    for x, depth in _exprs_with_depth(fn.body[j + 1:]):
        if isinstance(x, ir.Call) and is_gather(x.func) and len(x.args) == 1 and (
            x.args[0].star == "*" and isinstance(x.args[0].value, ir.Subscript)
            and isinstance(x.args[0].value.value, ir.Name) and x.args[0].value.value.id == name
        ):
            k = x.args[0].value.index
            if depth or not isinstance(k, ir.Const) or k.value not in keys or any(
                    g[1] == k.value for g in gathers):
                return None
            gathers.append((x, k.value))
    # every other read of the dict: none (the loop's append and the gathers only)
    if _count_reads(fn.body, name, target) != 1 + len(gathers) or not gathers:
        return None
    if any(_reads(x, name) for x in fn.body[:i]) or any(
            _reads(x, name) for x in fn.body[i + 1:j]):
        return None
    return _Plan(name, j, key, call, gathers)


def _plain_iter(fn: ir.FunctionDef, e: ir.Expr) -> bool:
    """An iterable each loop can evaluate again: a name, or ``range`` of names and ints."""
    if isinstance(e, ir.Name):
        return True
    return isinstance(e, ir.Call) and isinstance(e.func, ir.Name) and e.func.id == "range" \
        and "range" not in function_facts(fn)[1] and 1 <= len(e.args) <= 3 and all(
            not a.star and a.keyword is None and isinstance(a.value, (ir.Name, ir.Const))
            for a in e.args)


def _append_of(s: ir.Stmt, name: str) -> tuple[ir.Expr, ir.Call] | None:
    if not isinstance(s, ir.ExprStmt) or not isinstance(s.value, ir.Call):
        return None
    c = s.value
    f = c.func
    if not (isinstance(f, ir.Attribute) and f.attr == "append" and isinstance(f.value, ir.Subscript)
            and isinstance(f.value.value, ir.Name) and f.value.value.id == name):
        return None
    if len(c.args) != 1 or c.args[0].star or c.args[0].keyword is not None:
        return None
    call = c.args[0].value
    if not isinstance(call, ir.Call):
        return None
    return f.value.index, call


def _chooses(fn: ir.FunctionDef, loop: ir.For, stmts: list[ir.Stmt], key: ir.Expr,
             keys: list[object]) -> bool:
    """Whether ``stmts`` only choose the key (and cannot fail), and ``key`` is a key."""
    if isinstance(key, ir.Const):
        return key.value in keys and not stmts
    if not isinstance(key, ir.Name):
        return False
    kname = key.id
    targets = set(target_names(loop.target))
    if kname in targets:
        return False

    def ok_expr(e: ir.Expr) -> bool:
        if isinstance(e, ir.Const):
            return True
        if isinstance(e, ir.Name):
            return e.id != kname
        if isinstance(e, ir.Compare):
            return all(o in _COMPARE for o in e.ops) and ok_expr(e.left) and all(
                ok_expr(c) for c in e.comparators)
        if isinstance(e, ir.BoolOp):
            return all(ok_expr(v) for v in e.values)
        if isinstance(e, ir.UnaryOp):
            return e.op == "not" and ok_expr(e.operand)
        if isinstance(e, ir.BinOp):
            if e.op not in _ARITH or not ok_expr(e.left):
                return False
            if e.op in ("%", "//"):
                return isinstance(e.right, ir.Const) and isinstance(e.right.value, int) and (
                    not isinstance(e.right.value, bool)) and e.right.value != 0
            return ok_expr(e.right)
        return False

    def ok_block(b: list[ir.Stmt]) -> bool:
        for s in b:
            if isinstance(s, ir.Assign):
                if not (len(s.targets) == 1 and isinstance(s.targets[0], ir.Name)
                        and s.targets[0].id == kname and isinstance(s.value, ir.Const)
                        and s.value.value in keys):
                    return False
            elif isinstance(s, ir.If):
                if not (ok_expr(s.test) and ok_block(s.body) and ok_block(s.orelse)):
                    return False
            else:
                return False
        return True

    def assigns(b: list[ir.Stmt]) -> bool:
        for s in b:
            if isinstance(s, ir.Assign):
                return True
            if isinstance(s, ir.If) and assigns(s.body) and assigns(s.orelse):
                return True
        return False

    if not (ok_block(stmts) and assigns(stmts)):
        return False
    # read by nothing else: after the loop Python's value would be the last iteration's
    sets = sum(1 for x in ir.walk_stmts(stmts) if isinstance(x, ir.Assign))
    if sum(1 for x in _all_exprs(fn.body) if isinstance(x, ir.Name) and x.id == kname) != (
            sets + 1):
        return False
    # the key's name is set by these statements only
    own = {id(s) for s in ir.walk_stmts(stmts)}
    for s in ir.walk_stmts(fn.body):
        if id(s) in own:
            continue
        if isinstance(s, ir.FunctionStmt | ir.ClassStmt):
            continue
        if binds(s, kname):
            return False
    return True


def _all_exprs(stmts: list[ir.Stmt]) -> Iterator[ir.Expr]:
    """Every expression of ``stmts``, nested function and class bodies included."""
    for s in ir.walk_stmts(stmts):
        for e in ir.stmt_exprs(s):
            yield from ir.walk_expr(e)
        if isinstance(s, ir.FunctionStmt):
            yield from _all_exprs(s.func.body)
        elif isinstance(s, ir.ClassStmt):
            yield from _all_exprs(s.cls.body)


def _reads(s: ir.Stmt, name: str) -> bool:
    return any(isinstance(x, ir.Name) and x.id == name for x in _all_exprs([s]))


def _count_reads(stmts: list[ir.Stmt], name: str, target: ir.Expr) -> int:
    return sum(1 for x in _all_exprs(stmts) if isinstance(x, ir.Name) and x.id == name and (
        x is not target))


def _exprs_with_depth(stmts: list[ir.Stmt], depth: int = 0) -> Iterator[tuple[ir.Expr, int]]:
    """Expressions of ``stmts`` with how many loops (or nested functions) they are in."""
    for s in stmts:
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                yield x, depth + (1 if isinstance(s, (ir.For, ir.While)) and x is not e else 0)
        inner = depth + (1 if isinstance(s, (ir.For, ir.While)) else 0)
        if isinstance(s, (ir.FunctionStmt, ir.ClassStmt)):
            body = s.func.body if isinstance(s, ir.FunctionStmt) else s.cls.body
            yield from _exprs_with_depth(body, depth + 1)
            continue
        for b in ir.child_bodies(s):
            yield from _exprs_with_depth(b, inner)


def _zero(span: Span) -> Span:
    """A span of no text at ``span``'s start: code made for it is unparsed, never sliced
    from the source (the source holds the statement as written, not as rewritten)."""
    return Span(span.line, span.column, span.line, span.column)


def _list_name(name: str, key: object, taken: frozenset[str] | set[str]) -> str:
    base = f"{name}__{key}" if isinstance(key, str) and key.isidentifier() else f"{name}__k"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}{n}", n + 1
    return out


def _apply(fn: ir.FunctionDef, plan: _Plan) -> None:
    loop = fn.body[plan.loop]
    assert isinstance(loop, ir.For)
    taken = set(function_facts(fn)[1])
    zero = _zero(loop.span)
    lists: dict[object, str] = {}
    for _, k in plan.gathers:
        lists[k] = _list_name(plan.name, k, taken)
        taken.add(lists[k])
    new: list[ir.Stmt] = []
    for lname in lists.values():
        new.append(ir.Assign([ir.Name(lname, zero)], ir.Seq("list", [], zero), zero))
    for k, lname in lists.items():
        chosen = _key_expr(loop.body[:-1], plan.key, zero)
        test = ir.Compare(chosen, ["=="], [ir.Const(k, zero, "str" if isinstance(k, str)
                                                    else "int")], zero)
        append = ir.ExprStmt(ir.Call(ir.Attribute(ir.Name(lname, zero), "append", zero),
                                     [ir.Arg(copy.deepcopy(plan.call))], zero), zero)
        body: list[ir.Stmt] = [ir.If(test, [append], [], zero)]
        new.append(ir.For(copy.deepcopy(loop.target), copy.deepcopy(loop.iter), body, [],
                          loop.span))
    fn.body[plan.loop:plan.loop + 1] = new
    for g, k in plan.gathers:
        g.args[0].value = ir.Name(lists[k], _zero(g.args[0].value.span))


def _key_expr(stmts: list[ir.Stmt], key: ir.Expr, zero: Span) -> ir.Expr:
    """The key the choosing statements leave, as one expression: ``if c: k = "a" else:
    k = "b"`` is ``"a" if c else "b"`` (they set it on every path: :func:`_chooses`)."""
    if isinstance(key, ir.Const):
        return copy.deepcopy(key)
    cur: ir.Expr = ir.Const(None, zero, "none")  # never left: the key is set on every path

    def block(b: list[ir.Stmt], cur: ir.Expr) -> ir.Expr:
        for s in b:
            if isinstance(s, ir.Assign):
                cur = copy.deepcopy(s.value)
            elif isinstance(s, ir.If):
                cur = ir.IfExp(copy.deepcopy(s.test), block(s.body, cur),
                               block(s.orelse, cur), zero)
        return cur

    return _zeroed(block(stmts, cur))


def _zeroed(e: ir.Expr) -> ir.Expr:
    """``e`` with every span of no text: its code is unparsed (its parts moved)."""
    for x in ir.walk_expr(e):
        if hasattr(x, "span"):
            object.__setattr__(x, "span", _zero(x.span))
    return e
