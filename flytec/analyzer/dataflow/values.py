"""Cheap facts about values in a function body: static types of annotations, parameters
and single-assignment locals, and what a local variable was assigned from.

Only what is certain is known: a name assigned twice, a call of an unknown function or a
string annotation has no type here (``None``), and rules skip it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flytec.compiler.resolve import Resolver
from flytec.model import body as ir
from flytec.model.program import Program

ALIASES = {
    "typing.List": "builtins.list", "typing.Dict": "builtins.dict",
    "typing.Tuple": "builtins.tuple", "typing.Set": "builtins.set",
    "typing.FrozenSet": "builtins.frozenset", "pandas.core.frame.DataFrame": "pandas.DataFrame",
    "typing_extensions.Annotated": "typing.Annotated",
    "collections.abc.Sequence": "typing.Sequence",
    "builtins.NoneType": "None", "types.NoneType": "None",
}
UNION = frozenset({"typing.Union", "typing.Optional"})


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type by canonical name (``builtins.int``, ``pandas.DataFrame``, ``pkg.mod:Class``,
    ``None``), with its type arguments; ``typing.Union`` for unions."""

    name: str
    args: tuple[TypeRef, ...] = ()

    def show(self) -> str:
        base = self.name.rpartition(":")[2].rpartition(".")[2] if self.name != "None" else "None"
        if self.name == "typing.Union":
            return " | ".join(a.show() for a in self.args)
        if self.args:
            return f"{base}[{', '.join(a.show() for a in self.args)}]"
        return base


def type_of_annotation(resolver: Resolver, module: str, e: ir.Expr | None) -> TypeRef | None:
    """The type an annotation expression names (memoised per resolver: rules ask for the
    same parameter annotations at every call site)."""
    if e is None:
        return None
    memo = resolver.memo.setdefault("annotation-types", {})
    k = (module, id(e))
    hit = memo.get(k)
    if hit is not None and hit[0] is e:  # the memo keeps ``e`` alive: ids are not reused
        return hit[1]  # type: ignore[no-any-return]
    t = _type_of_annotation(resolver, module, e)
    memo[k] = (e, t)
    return t


def _type_of_annotation(resolver: Resolver, module: str, e: ir.Expr) -> TypeRef | None:
    if isinstance(e, ir.Const):
        return TypeRef("None") if e.kind == "none" else None
    if isinstance(e, ir.BinOp) and e.op == "|":
        left = type_of_annotation(resolver, module, e.left)
        right = type_of_annotation(resolver, module, e.right)
        if left is None or right is None:
            return None
        return TypeRef("typing.Union", (*_members(left), *_members(right)))
    if isinstance(e, ir.Subscript):
        base = type_of_annotation(resolver, module, e.value)
        if base is None:
            return None
        idx = e.index.elts if isinstance(e.index, ir.Seq) and e.index.kind == "tuple" else [
            e.index]
        if base.name == "typing.Annotated":
            return type_of_annotation(resolver, module, idx[0]) if idx else None
        args: list[TypeRef] = []
        for x in idx:
            if isinstance(x, ir.Const) and x.kind == "ellipsis":
                args.append(TypeRef("..."))
                continue
            t = type_of_annotation(resolver, module, x)
            if t is None:
                return TypeRef(base.name) if base.name not in UNION else None
            args.append(t)
        if base.name == "typing.Optional":
            return TypeRef("typing.Union", (*args, TypeRef("None")))
        if base.name == "typing.Union":
            return TypeRef("typing.Union", tuple(args))
        return TypeRef(base.name, tuple(args))
    r = resolver.resolve(module, e)
    if r is None:
        return None
    if r.kind == "external":
        name = ALIASES.get(r.dotted, r.dotted)
        return TypeRef(name)
    if r.kind == "symbol" and not r.rest:
        return TypeRef(r.key)
    return None


def _members(t: TypeRef) -> tuple[TypeRef, ...]:
    return t.args if t.name == "typing.Union" else (t,)


LITERALS = {"int": "builtins.int", "float": "builtins.float", "str": "builtins.str",
            "bool": "builtins.bool", "bytes": "builtins.bytes", "none": "None"}
CONSTRUCTORS = {
    "builtins.int": "builtins.int", "builtins.float": "builtins.float",
    "builtins.str": "builtins.str", "builtins.bool": "builtins.bool",
    "builtins.len": "builtins.int", "builtins.list": "builtins.list",
    "builtins.dict": "builtins.dict", "builtins.sorted": "builtins.list",
    "pandas.DataFrame": "pandas.DataFrame", "pandas.read_csv": "pandas.DataFrame",
    "pandas.read_parquet": "pandas.DataFrame", "pandas.read_json": "pandas.DataFrame",
    "pandas.concat": "pandas.DataFrame", "pandas.read_sql": "pandas.DataFrame",
    "pandas.read_excel": "pandas.DataFrame",
}


class ValueTypes:
    """Static types of expressions in one function (parameters and single-assignment locals)."""

    def __init__(self, program: Program, resolver: Resolver, key: str,
                 local_names: frozenset[str]) -> None:
        self.program = program
        self.resolver = resolver
        f = program.functions[key]
        self.fn = f.function
        self.module = f.module
        self.locals = local_names
        self.assigned: dict[str, ir.Expr] = {}
        self.origin: dict[str, str] = {}  # local -> key of the task whose output it holds
        counts: dict[str, int] = {}
        for s in ir.walk_stmts(self.fn.body):
            if isinstance(s, ir.Assign):
                for t in s.targets:
                    if isinstance(t, ir.Name):
                        counts[t.id] = counts.get(t.id, 0) + 1
                        self.assigned[t.id] = s.value
                    else:
                        for n in _names(t):
                            counts[n] = counts.get(n, 0) + 2
            elif isinstance(s, (ir.AugAssign, ir.For, ir.With)):
                targets = [s.target] if not isinstance(s, ir.With) else [
                    i.target for i in s.items if i.target is not None]
                for t in targets:
                    for n in _names(t):
                        counts[n] = counts.get(n, 0) + 2
            elif isinstance(s, ir.AnnAssign):
                for n in _names(s.target):
                    counts[n] = counts.get(n, 0) + 2
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if isinstance(x, ir.NamedExpr):
                        counts[x.target.id] = counts.get(x.target.id, 0) + 2
                    elif isinstance(x, ir.Comp):
                        for g in x.generators:
                            for n in _names(g.target):
                                counts[n] = counts.get(n, 0) + 2
        for p in self.fn.params:
            counts[p.name] = counts.get(p.name, 0) + (2 if p.name in self.assigned else 0)
        self.single = {n for n, c in counts.items() if c == 1}

    def call_task(self, e: ir.Expr) -> str | None:
        """Key of the task whose (awaited) result ``e`` is."""
        if isinstance(e, ir.Await):
            e = e.value
        if not isinstance(e, ir.Call):
            return None
        for site in self.program.calls.get(f"{self.module}:{self.fn.qualname}", ()):
            if site.call is e and site.target_kind == "task" and site.how == "call":
                return site.target
        return None

    def of(self, e: ir.Expr, depth: int = 0) -> TypeRef | None:
        if depth > 5:
            return None
        if isinstance(e, ir.Const):
            name = LITERALS.get(e.kind)
            return TypeRef(name) if name else None
        if isinstance(e, ir.FString):
            return TypeRef("builtins.str")
        if isinstance(e, ir.Name):
            p = self.fn.param(e.id)
            if p is not None and e.id not in self.assigned:
                return type_of_annotation(self.resolver, self.module, p.annotation)
            if e.id in self.single:
                return self.of(self.assigned[e.id], depth + 1)
            return None
        if isinstance(e, (ir.Await, ir.Call)):
            task = self.call_task(e)
            if task is not None:
                t = self.program.tasks.get(task)
                if t is None:
                    return None
                rt = type_of_annotation(self.resolver, t.module, t.function.returns)
                if rt is not None and rt.name in ("builtins.tuple", "typing.Tuple"):
                    return None  # several outputs
                return rt
            if isinstance(e, ir.Call):
                name = self.resolver.external_name(self.module, e.func, self.locals)
                if name in CONSTRUCTORS:
                    return TypeRef(CONSTRUCTORS[name])
            return None
        if isinstance(e, ir.Seq) and e.kind in ("list", "tuple"):
            return TypeRef(f"builtins.{e.kind}")
        if isinstance(e, ir.DictExpr):
            return TypeRef("builtins.dict")
        return None

    def task_origin(self, e: ir.Expr) -> str | None:
        """The task whose output ``e`` holds (directly or through a single assignment)."""
        if isinstance(e, ir.Name) and e.id in self.single and self.fn.param(e.id) is None:
            return self.call_task(self.assigned[e.id])
        return self.call_task(e)


def _names(t: ir.Expr) -> list[str]:
    if isinstance(t, ir.Name):
        return [t.id]
    if isinstance(t, (ir.Seq,)):
        return [n for x in t.elts for n in _names(x)]
    if isinstance(t, ir.Starred):
        return _names(t.value)
    return []


# names whose values Flyte certainly cannot convert into each other
SCALARS = frozenset({"builtins.int", "builtins.float", "builtins.str", "builtins.bool",
                     "builtins.bytes", "None", "builtins.list", "builtins.dict",
                     "datetime.datetime", "datetime.date", "datetime.timedelta"})


def incompatible(actual: TypeRef, expected: TypeRef) -> bool:
    """Is a value of type ``actual`` certainly rejected by a parameter of type ``expected``?"""
    if expected.name == "typing.Union":
        return all(incompatible(actual, m) for m in expected.args)
    if actual.name == "typing.Union":
        return False
    a, x = actual.name, expected.name
    if a == x:
        if a in ("builtins.list", "builtins.dict") and actual.args and expected.args and len(
                actual.args) == len(expected.args):
            return any(incompatible(p, q) for p, q in zip(actual.args, expected.args))
        return False
    if a == "builtins.int" and x == "builtins.float":
        return False
    if a == "builtins.bool" and x in ("builtins.int", "builtins.float"):
        return False
    if a == "datetime.datetime" and x == "datetime.date":
        return False
    if a in SCALARS and x in SCALARS:
        return True
    if a == "None" and ":" in x:
        return True  # None where a (non-Optional) project class is expected
    if ":" in a and x in SCALARS and x != "None":
        return True
    return a == "pandas.DataFrame" and x in SCALARS
