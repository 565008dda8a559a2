"""Module-level state: what each global holds and where function bodies touch it."""

from __future__ import annotations

from flytec.compiler.recover.scopes import declared_globals, enclosing_locals
from flytec.compiler.resolve import Resolver
from flytec.model import body as ir
from flytec.model.program import GlobalInfo, Program, StateAccess
from flytec.model.span import Span

MUTABLE_CALLS = {
    "builtins.list": "list",
    "builtins.dict": "dict",
    "builtins.set": "set",
    "builtins.bytearray": "list",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "collections.Counter": "dict",
    "collections.deque": "list",
}
MUTATING_METHODS = frozenset(
    {
        "append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault",
        "add", "discard", "popitem", "appendleft", "extendleft", "popleft", "sort",
        "reverse", "__setitem__", "__delitem__",
    }
)


def global_kind(resolver: Resolver, module: str, value: ir.Expr | None, env_keys: set[str],
                key: str) -> tuple[str, bool]:
    if key in env_keys:
        return "env", False
    if value is None:
        return "unknown", False
    if isinstance(value, ir.Seq):
        if value.kind == "tuple":
            return "constant", False
        return value.kind, True
    if isinstance(value, ir.DictExpr):
        return "dict", True
    if isinstance(value, ir.Comp):
        kind = {"list": "list", "set": "set", "dict": "dict"}.get(value.kind, "object")
        return kind, kind != "object"
    if isinstance(value, (ir.Const, ir.FString, ir.BinOp, ir.UnaryOp)):
        return "constant", False
    if isinstance(value, ir.Call):
        ext = resolver.external_name(module, value.func)
        if ext in MUTABLE_CALLS:
            return MUTABLE_CALLS[ext], True
        if ext in ("builtins.frozenset", "builtins.tuple", "builtins.str", "builtins.int"):
            return "constant", False
        return "object", False
    return "unknown", False


def collect_state(program: Program, resolver: Resolver) -> None:
    env_keys = set(program.environments)
    for mod in program.modules.values():
        for g in mod.globals:
            key = f"{mod.module}:{g.name}"
            stmt = g.value
            value = stmt.value if isinstance(stmt, (ir.Assign, ir.AnnAssign)) else None
            kind, mutable = global_kind(resolver, mod.module, value, env_keys, key)
            prev = program.globals.get(key)
            if prev is not None and prev.kind != kind:
                kind, mutable = "unknown", prev.mutable or mutable
            program.globals[key] = GlobalInfo(key, mod.module, g.name, g.span, mutable, kind)
        for c in mod.classes:  # class attributes are module state too (``Registry.items``)
            if "." in c.qualname:
                continue
            for stmt in c.body:
                if isinstance(stmt, ir.Assign):
                    names = [t.id for t in stmt.targets if isinstance(t, ir.Name)]
                    attr_value: ir.Expr | None = stmt.value
                elif isinstance(stmt, ir.AnnAssign) and isinstance(stmt.target, ir.Name) \
                        and stmt.value is not None:
                    names, attr_value = [stmt.target.id], stmt.value
                else:
                    continue
                for n in names:
                    key = f"{mod.module}:{c.qualname}.{n}"
                    kind, mutable = global_kind(resolver, mod.module, attr_value, env_keys, key)
                    program.globals[key] = GlobalInfo(key, mod.module, f"{c.qualname}.{n}",
                                                      stmt.span, mutable, kind)
    for mod in program.modules.values():
        all_fns = [*mod.functions, *mod.nested_functions]
        by_q = {f.qualname: f for f in all_fns}
        for fn in all_fns:
            fkey = f"{mod.module}:{fn.qualname}"
            _Accesses(program, resolver, mod.module, fn, fkey, enclosing_locals(fn, by_q)).run()


class _Accesses:
    def __init__(self, program: Program, resolver: Resolver, module: str, fn: ir.FunctionDef,
                 key: str, local: frozenset[str]) -> None:
        self.p = program
        self.r = resolver
        self.module = module
        self.fn = fn
        self.key = key
        self.local = local
        self.globals_declared = declared_globals(fn)

    def _global_of(self, e: ir.Expr) -> str | None:
        """Key of the module-level global an expression names, if any."""
        r = self.r.resolve(self.module, e, self.local)
        if r is None or r.kind != "symbol" or r.rest:
            return None
        return r.key if r.key in self.p.globals else None

    def _class_attr(self, e: ir.Expr) -> str | None:
        """Key of the class attribute ``Cls.attr`` names (``"mod:Cls.attr"``), if any."""
        if not isinstance(e, ir.Attribute):
            return None
        r = self.r.resolve(self.module, e, self.local)
        if r is None or r.kind != "symbol" or len(r.rest) != 1:
            return None
        key = f"{r.key}.{r.rest[0]}"
        return key if key in self.p.globals else None

    def _state_of(self, e: ir.Expr) -> str | None:
        """The global or class attribute an object expression (``X``, ``X.a[k]``,
        ``Cls.items``) belongs to."""
        cur = e
        while isinstance(cur, (ir.Attribute, ir.Subscript)):
            k = self._class_attr(cur)
            if k is not None:
                return k
            cur = cur.value
        return self._global_of(cur)

    def _add(self, gkey: str, kind: str, how: str, span: Span) -> None:
        module, _, name = gkey.partition(":")
        self.p.state.append(StateAccess(self.key, module, name, kind, how, span))

    def run(self) -> None:
        for s in ir.walk_stmts(self.fn.body):
            if isinstance(s, (ir.Assign, ir.AugAssign, ir.AnnAssign, ir.Delete)):
                targets = (
                    s.targets if isinstance(s, (ir.Assign, ir.Delete)) else [s.target]
                )
                for t in targets:
                    self._target(t, "augassign" if isinstance(s, ir.AugAssign) else "assign")
            for e in ir.stmt_exprs(s):
                self._expr(e)

    def _target(self, t: ir.Expr, how: str) -> None:
        if isinstance(t, ir.Name):
            if t.id in self.globals_declared:
                g = f"{self.module}:{t.id}"
                if g in self.p.globals:
                    self._add(g, "assign", f"global-{how}", t.span)
        elif isinstance(t, ir.Seq):
            for x in t.elts:
                self._target(x, how)
        elif isinstance(t, ir.Starred):
            self._target(t.value, how)
        elif isinstance(t, ir.Subscript):
            sub = self._state_of(t.value)
            if sub is not None:
                self._add(sub, "mutate", "setitem", t.span)
        elif isinstance(t, ir.Attribute):
            cls_attr = self._class_attr(t)
            owner = self._state_of(t.value)
            if cls_attr is not None:  # ``Config.value = x``
                self._add(cls_attr, "assign", "class-setattr", t.span)
            elif owner is not None:
                self._add(owner, "mutate", "setattr", t.span)
            else:
                # ``module.X = ...`` on a project module
                r = self.r.resolve(self.module, t.value, self.local)
                if r is not None and r.kind == "module":
                    gk = f"{r.key}:{t.attr}"
                    if gk in self.p.globals:
                        self._add(gk, "assign", "module-setattr", t.span)

    def _expr(self, e: ir.Expr) -> None:
        for x in ir.walk_expr(e):
            if isinstance(x, ir.Call) and isinstance(x.func, ir.Attribute):
                if x.func.attr in MUTATING_METHODS:
                    g = self._state_of(x.func.value)
                    if g is not None:
                        self._add(g, "mutate", x.func.attr, x.span)
            elif isinstance(x, ir.Name):
                g = self._global_of(x)
                if g is not None:
                    self._add(g, "read", "read", x.span)
            elif isinstance(x, ir.Attribute):
                cls_attr = self._class_attr(x)
                if cls_attr is not None:
                    self._add(cls_attr, "read", "read", x.span)
                    continue
                r = self.r.resolve(self.module, x, self.local)
                if r is not None and r.kind == "symbol" and not r.rest and r.key in self.p.globals:
                    mod_name = r.key.partition(":")[0]
                    if mod_name != self.module:
                        self._add(r.key, "read", "read", x.span)


def _root(e: ir.Expr) -> ir.Expr:
    """``a`` of ``a.b[c].d``."""
    while isinstance(e, (ir.Attribute, ir.Subscript)):
        e = e.value
    return e
