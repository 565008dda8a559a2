"""Taint of non-deterministic values through a function body, and across functions.

:class:`TaintEngine` runs a small abstract interpretation over the body IR: every local
name maps to the set of :class:`Taint` it may carry (a clock read, a random draw, an
unstable set order ...). Values flow through assignments, tuple unpacking, augmented
assignment, comprehension variables, f-strings, calls whose arguments are tainted,
``for x in tainted``, in-place mutation (``xs.append(t)``) and control dependence (a
value assigned under a tainted ``if``). A helper's result is tainted when its body
returns a tainted value (computed once per helper, through its own helpers and modules);
a ``@flyte.trace`` call's or a sub-task's result is not (both are recorded and replayed).

While walking, the engine records :class:`Sink` hits: tainted values reaching a sub-task's
inputs (arguments, ``flyte.map`` iterables, ``.override(...)`` values), conditions that
decide whether sub-tasks run, and iterables that decide how many run. Tainted arguments
passed to a helper that itself launches tasks are followed into that helper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from flytec.analyzer.dataflow.launch import (
    Launches,
    is_inline,
    is_launch,
    local_external,
    local_imports,
)
from flytec.analyzer.dataflow.sources import (
    ATTEMPT_ATTRS,
    ATTEMPT_ENV,
    CLIENT_READS,
    GLOBAL_SEEDERS,
    SourceKind,
    classify_attribute,
    classify_call,
    global_generator,
)
from flytec.compiler.recover.scopes import calls_of, enclosing_locals, target_names
from flytec.compiler.resolve import Resolver
from flytec.model import body as ir
from flytec.model.program import CallSite, Program
from flytec.model.span import Span
from flytec.model.unparse import unparse


@dataclass(frozen=True, slots=True)
class Taint:
    """A non-deterministic value, as seen from the function being analysed.

    ``span``/``path`` say where it enters that function (the source call, or the call of a
    helper that returns it); ``steps`` explain how it got there from the real source.
    """

    kind: str  # "value" | "order" | "client"
    category: str  # key of sources.HELP
    what: str  # "`datetime.now()`"
    path: str
    span: Span
    steps: tuple[str, ...] = ()
    origin: str = ""  # the real source's category, for a module-level value ("module")

    @property
    def source_category(self) -> str:
        return self.origin or self.category


Taints = frozenset[Taint]
NONE: Taints = frozenset()

ORDER_KEEPING = frozenset(
    {
        "builtins.list", "builtins.tuple", "builtins.iter", "builtins.reversed",
        "builtins.enumerate", "builtins.zip", "builtins.filter", "builtins.map",
        "builtins.dict", "asyncio.gather", "copy.copy", "copy.deepcopy", "itertools.chain",
        "itertools.islice", "collections.OrderedDict",
    }
)
ORDER_FREE = frozenset(
    {
        "builtins.sorted", "builtins.len", "builtins.sum", "builtins.min", "builtins.max",
        "builtins.any", "builtins.all", "collections.Counter", "math.fsum", "builtins.bool",
        "builtins.isinstance", "statistics.mean", "statistics.median",
    }
)
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault",
                      "appendleft", "extendleft", "__setitem__"})
SEEDERS = frozenset({"manual_seed", "seed"})
SHUFFLERS = frozenset({"random.shuffle", "numpy.random.shuffle"})
KEYED_METHODS = frozenset({"keys", "values", "items", "copy"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})


@dataclass
class Sink:
    """A tainted value reaching something that decides the child actions."""

    kind: str  # "input" | "control" | "count"
    taints: Taints
    path: str
    span: Span  # the task call, or the statement whose condition decides
    detail: str  # "argument `partition` of task `etl.export` (line 12)"
    steps: tuple[str, ...] = ()  # from the analysed function to the sink (helpers)


@dataclass
class FunctionFlow:
    key: str
    returns: Taints = NONE
    sinks: list[Sink] = field(default_factory=list)


def value_part(t: Taints) -> Taints:
    return frozenset(x for x in t if x.kind == "value")


def as_value(t: Taints) -> Taints:
    """Taints once the order of a collection is observed (``xs[0]``, ``str(xs)``)."""
    if not any(x.kind != "value" for x in t):
        return t
    return frozenset(replace(x, kind="value") if x.kind == "order" else x
                     for x in t if x.kind != "client")


def _drop_random(t: Taints) -> Taints:
    return frozenset(x for x in t if x.category != "random")


def _drop_order(t: Taints) -> Taints:
    return frozenset(x for x in t if x.kind != "order")


def _cap(t: Taints) -> Taints:
    if len(t) <= 6:
        return t
    return frozenset(sorted(t, key=lambda x: (x.span.line, x.span.column, x.what))[:6])


class TaintEngine:
    """Shared state for analysing many functions: summaries and call-site lookup."""

    def __init__(self, program: Program, resolver: Resolver) -> None:
        self.program = program
        self.resolver = resolver
        self.launches = Launches(program)
        self._flows: dict[str, FunctionFlow] = {}
        self._globals: dict[str, Taints] = {}
        self._locals: dict[str, frozenset[str]] = {}
        self._qualnames: dict[str, dict[str, ir.FunctionDef]] = {}
        self._active: set[str] = set()
        self._seeders: dict[str, tuple[str, ...]] = {}

    # ------------------------------------------------------------------------ queries

    def flow(self, key: str) -> FunctionFlow:
        """The flow of ``key`` with untainted parameters (memoised)."""
        f = self._flows.get(key)
        if f is not None:
            return f
        if key in self._active:
            return FunctionFlow(key)
        self._active.add(key)
        try:
            f = _Walker(self, key, {}, depth=0).run()
        finally:
            self._active.discard(key)
        self._flows[key] = f
        return f

    def flow_with(self, key: str, seeds: dict[str, Taints], depth: int) -> FunctionFlow:
        """The flow of ``key`` when its parameters carry ``seeds`` (not memoised)."""
        if key in self._active or depth > 3:
            return FunctionFlow(key)
        self._active.add(key)
        try:
            return _Walker(self, key, seeds, depth).run()
        finally:
            self._active.discard(key)

    def seeders(self, key: str) -> tuple[str, ...]:
        """The module-level generators helper ``key`` seeds from its parameters
        (``def set_seed(s): random.seed(s); np.random.seed(s)``), memoised."""
        got = self._seeders.get(key)
        if got is not None:
            return got
        out: list[str] = []
        f = self.program.functions.get(key)
        if f is not None:
            params = {p.name for p in f.function.params}
            imports = local_imports(f.function)
            for c in calls_of(f.function):
                name = (local_external(imports, c.func) if imports else None) or \
                    self.resolver.external_name(f.module, c.func, self.local_names(key))
                if name in GLOBAL_SEEDERS and c.args and all(
                        isinstance(x, ir.Const) or (isinstance(x, ir.Name) and x.id in params)
                        or isinstance(x, ir.BinOp)
                        for x in (a.value for a in c.args)):
                    out.extend(g for g in GLOBAL_SEEDERS[name] if g not in out)
        self._seeders[key] = tuple(out)
        return self._seeders[key]

    def _by_qualname(self, module: str) -> dict[str, ir.FunctionDef]:
        """A module's functions by qualified name (built once per module, not per function)."""
        got = self._qualnames.get(module)
        if got is None:
            mod = self.program.modules.get(module)
            got = {}
            if mod is not None:
                got = {x.qualname: x for x in [*mod.functions, *mod.nested_functions]}
            self._qualnames[module] = got
        return got

    def local_names(self, key: str) -> frozenset[str]:
        got = self._locals.get(key)
        if got is not None:
            return got
        f = self.program.functions.get(key)
        names: frozenset[str] = frozenset()
        if f is not None:
            names = enclosing_locals(f.function, self._by_qualname(f.module))
        self._locals[key] = names
        return names

    def describe(self, key: str) -> str:
        t = self.program.tasks.get(key)
        if t is not None:
            return f"task `{t.fqn}`"
        name = key.partition(":")[2]
        if key in self.program.traces:
            return f"trace `{name}()`"
        return f"helper `{name}()`"

    def global_taint(self, gkey: str) -> Taints:
        """Taint of a module-level variable whose value is computed at import time."""
        got = self._globals.get(gkey)
        if got is not None:
            return got
        self._globals[gkey] = NONE
        module, _, name = gkey.partition(":")
        mod = self.program.modules.get(module)
        out: Taints = NONE
        if mod is not None:
            assigns = [g for g in mod.globals if g.name == name]
            if len(assigns) == 1:
                stmt = assigns[0].value
                value = stmt.value if isinstance(stmt, (ir.Assign, ir.AnnAssign)) else None
                if value is not None:
                    w = _Walker(self, None, {}, depth=0, module=module, path=mod.path)
                    found = value_part(w.eval(value))
                    out = frozenset(
                        replace(
                            t,
                            category="module",
                            origin=t.source_category,
                            steps=(
                                f"module-level `{name}` is set from {t.what} once per process,"
                                f" when `{module}` is imported ({mod.path}:{t.span.line})",
                                *t.steps,
                            ),
                        )
                        for t in found
                    )
        self._globals[gkey] = out
        return out


class _Walker:
    """One pass over one function body."""

    def __init__(
        self,
        engine: TaintEngine,
        key: str | None,
        seeds: dict[str, Taints],
        depth: int,
        module: str | None = None,
        path: str | None = None,
    ) -> None:
        self.e = engine
        self.key = key
        self.depth = depth
        self.seeds: set[Taint] = {t for ts in seeds.values() for t in ts}
        self.env: dict[str, Taints] = dict(seeds)
        self.flow = FunctionFlow(key or "")
        self.fn: ir.FunctionDef | None = None
        self.locals: frozenset[str] = frozenset()
        self.imports: dict[str, str] = {}
        if key is not None:
            f = engine.program.functions[key]
            self.fn = f.function
            self.imports = local_imports(f.function)
            self.module = f.module
            self.path = f.path
            self.locals = engine.local_names(key)
        else:
            self.module = module or ""
            self.path = path or ""
        self.loops: list[bool] = []  # does each enclosing loop launch tasks?
        self.launch_lines: list[int] = []
        # module-level generators seeded so far -> the taint of their seed
        self.seeded: dict[str, Taints] = {}
        self.path_names: set[str] = set()  # locals bound to a pathlib.Path

    # -------------------------------------------------------------------------- run

    def run(self) -> FunctionFlow:
        assert self.fn is not None
        for c in calls_of(self.fn):
            if self.e.launches.call_launches(c):
                self.launch_lines.append(c.span.line)
        self.block(self.fn.body, NONE)
        return self.flow

    # --------------------------------------------------------------------- statements

    def block(self, body: list[ir.Stmt], pc: Taints) -> None:
        for s in body:
            self.stmt(s, pc)

    def stmt(self, s: ir.Stmt, pc: Taints) -> None:
        if isinstance(s, ir.ExprStmt):
            self.eval(s.value, pc)
        elif isinstance(s, ir.Assign):
            t = self.eval(s.value, pc) | value_part(pc)
            for target in s.targets:
                self.bind(target, t, pc)
            if self.is_path(s.value):
                self.path_names.update(n for tg in s.targets for n in target_names(tg))
        elif isinstance(s, ir.AugAssign):
            # ``count += 1`` under a loop over a set counts the same in any order
            t = self.eval(s.value, pc) | self.eval(s.target, pc) | value_part(pc)
            self.bind(s.target, t, pc)
        elif isinstance(s, ir.AnnAssign):
            if s.value is not None:
                self.bind(s.target, self.eval(s.value, pc) | value_part(pc), pc)
        elif isinstance(s, ir.Return):
            if s.value is not None:
                self.flow.returns = _cap(self.flow.returns | self.eval(s.value, pc)
                                         | value_part(pc))
        elif isinstance(s, ir.If):
            test = value_part(self.eval(s.test, pc))
            if test and self.guards(s, [s.body, s.orelse]):
                self.sink("control", test, s.test, "decides which sub-tasks run")
            inner = pc | test
            self.block(s.body, inner)
            self.block(s.orelse, inner)
        elif isinstance(s, ir.While):
            launches = self.e.launches.body_launches(s.body)
            self.loops.append(launches)
            for _ in range(2):
                test = value_part(self.eval(s.test, pc))
                if test and (launches or self.guards(s, [s.body])):
                    self.sink("control", test, s.test,
                              "decides how many sub-tasks the loop launches")
                self.block(s.body, pc | test)
            self.loops.pop()
            self.block(s.orelse, pc)
        elif isinstance(s, ir.For):
            launches = self.e.launches.body_launches(s.body)
            self.loops.append(launches)
            for _ in range(2):
                it = self.eval(s.iter, pc)
                count = value_part(it)
                if count and launches:
                    self.sink("count", count, s.iter,
                              "decides how many sub-tasks the loop launches, and with which inputs")
                order = frozenset(t for t in it if t.kind == "order")
                if order and launches:
                    why = self.order_observed(s)
                    if why is not None:
                        self.sink("control", as_value(order), s.iter, why)
                self.bind(s.target, self.element(s.iter, it), pc)
                self.block(s.body, pc | count | order)
            self.loops.pop()
            self.block(s.orelse, pc)
        elif isinstance(s, ir.Try):
            self.block(s.body, pc)
            for h in s.handlers:
                if h.name:
                    self.env[h.name] = NONE
                self.block(h.body, pc)
            self.block(s.orelse, pc)
            self.block(s.finalbody, pc)
        elif isinstance(s, ir.With):
            for item in s.items:
                t = self.eval(item.context, pc)
                c = item.context
                if isinstance(c, ir.Call) and self.ext(c.func) == "flyte.group" and c.args:
                    name = value_part(self.eval(c.args[0].value, pc)) | frozenset(
                        x for x in self.eval(c.args[0].value, pc) if x.kind == "order")
                    if name and self.e.launches.body_launches(s.body):
                        self.sink("input", as_value(name), c.args[0].value,
                                  "the name of the `flyte.group` its sub-tasks are launched"
                                  f" in (line {c.span.line})")
                if item.target is not None:
                    self.bind(item.target, t, pc)
            self.block(s.body, pc)
        elif isinstance(s, ir.OtherStmt):
            subject: Taints = NONE
            for x in s.exprs:
                subject |= value_part(self.eval(x, pc))
            if subject and s.bodies and self.guards(s, s.bodies):
                self.sink("control", subject, s.exprs[0] if s.exprs else None,
                          "decides which sub-tasks run", span=s.span)
            for b in s.bodies:
                self.block(b, pc | subject)
        elif isinstance(s, (ir.Raise, ir.Assert)):
            for x in ir.stmt_exprs(s):
                self.eval(x, pc)

    def order_observed(self, loop: ir.For) -> str | None:
        """Does the order of ``loop``'s items decide its sub-tasks? Launching one task per
        item is fine (each child is matched by its own inputs), but not when a call takes
        an earlier call's result (``acc = await merge(acc, f)``) or the loop stops early."""
        body = loop.body
        results: set[str] = set()
        for st in ir.walk_stmts(body):
            if isinstance(st, (ir.Assign, ir.AnnAssign)) and st.value is not None and \
                    self.e.launches.expr_launches(st.value):
                targets = st.targets if isinstance(st, ir.Assign) else [st.target]
                results.update(n for t in targets for n in target_names(t))
        for st in ir.walk_stmts(body):
            for x in ir.stmt_exprs(st):
                for c in ir.walk_expr(x):
                    if isinstance(c, ir.Call) and self.e.launches.call_launches(c) and any(
                            isinstance(n, ir.Name) and n.id in results
                            for a in c.args for n in ir.walk_expr(a.value)):
                        return ("decides the inputs of the sub-tasks the loop launches one"
                                f" after another: the call at line {c.span.line} takes an"
                                " earlier call's result")
        for st in ir.walk_stmts(body):
            if isinstance(st, ir.Jump) and st.kind == "break" or isinstance(st, ir.Return):
                return ("decides which sub-tasks run before the loop stops at line"
                        f" {st.span.line}")
        return None

    def guards(self, s: ir.Stmt, bodies: list[list[ir.Stmt]]) -> bool:
        """Does the branch decide whether some sub-task runs?"""
        if any(self.e.launches.body_launches(b) for b in bodies):
            return True
        jumps = any(
            isinstance(x, (ir.Return, ir.Raise))
            or (isinstance(x, ir.Jump) and x.kind in ("break", "continue"))
            for b in bodies
            for x in ir.walk_stmts(b)
        )
        if not jumps:
            return False
        return any(self.loops) or any(line > s.span.end_line for line in self.launch_lines)

    def bind(self, target: ir.Expr, t: Taints, pc: Taints) -> None:
        if isinstance(target, ir.Name):
            self.env[target.id] = _cap(t)
        elif isinstance(target, (ir.Seq, ir.Starred)):
            for n in target_names(target):
                self.env[n] = _cap(t)
        elif isinstance(target, (ir.Subscript, ir.Attribute)):
            root = _root(target)
            if isinstance(root, ir.Name) and root.id in self.locals:
                idx = self.eval(target.index, pc) if isinstance(target, ir.Subscript) else NONE
                self.env[root.id] = _cap(self.env.get(root.id, NONE) | t | value_part(idx)
                                         | pc)

    def element(self, it_expr: ir.Expr, it: Taints) -> Taints:
        """Taint of one element when iterating ``it_expr``."""
        vals = value_part(it)
        if isinstance(it_expr, ir.Call) and self.ext(it_expr.func) == "builtins.range":
            return NONE  # 0, 1, 2 ...: only how many is tainted (a "count" sink)
        if isinstance(it_expr, ir.Call) and self.ext(it_expr.func) in ("builtins.enumerate",
                                                                       "builtins.zip"):
            vals = vals | as_value(frozenset(t for t in it if t.kind == "order"))
        return vals

    # ------------------------------------------------------------------- expressions

    def ext(self, e: ir.Expr) -> str | None:
        if self.imports:
            got = local_external(self.imports, e)
            if got is not None:
                return got
        return self.e.resolver.external_name(self.module, e, self.locals)

    def eval(self, e: ir.Expr, pc: Taints = NONE) -> Taints:
        if isinstance(e, ir.Name):
            if e.id in self.env:
                return self.env[e.id]
            if e.id in self.locals and e.id not in self.imports:
                return NONE
            return self.name_or_attr(e)
        if isinstance(e, ir.Attribute):
            if e.attr in ATTEMPT_ATTRS:  # ``flyte.ctx().attempt_number``
                return frozenset({self.source(SourceKind("attempt", "value"),
                                              f"`{unparse(e)}`", e.span)})
            root = _root(e)
            if isinstance(root, ir.Name) and (root.id in self.env or root.id in self.locals) \
                    and root.id not in self.imports:
                return self.eval(e.value, pc)
            got = self.name_or_attr(e)
            return got if got else self.eval(e.value, pc)
        if isinstance(e, ir.Call):
            return self.call(e, pc)
        if isinstance(e, (ir.Await, ir.Starred)):
            return self.eval(e.value, pc)
        if isinstance(e, ir.Const):
            return NONE
        if isinstance(e, ir.FString):
            return as_value(self.union(e.values, pc))
        if isinstance(e, ir.Seq):
            t = self.union(e.elts, pc)
            if e.kind == "set" and not all(_is_int(x) for x in e.elts):
                t = _drop_order(t) | {self.source(SourceKind("order", "order"), "a set", e.span)}
            return t
        if isinstance(e, ir.DictExpr):
            return self.union([k for k in e.keys if k is not None] + e.values, pc)
        if isinstance(e, ir.Comp):
            return self.comp(e, pc)
        if isinstance(e, ir.Compare):
            left = self.eval(e.left, pc)
            out = as_value(left)
            for op, c in zip(e.ops, e.comparators):
                t = self.eval(c, pc)
                out |= value_part(t) if op in ("in", "not in") else as_value(t)
            return out
        if isinstance(e, ir.UnaryOp) and e.op == "not":
            # ``not xs`` asks whether a collection is empty: the same in any order
            return as_value(_drop_order(self.eval(e.operand, pc)))
        if isinstance(e, (ir.BoolOp, ir.UnaryOp)):
            return as_value(self.union(list(ir.iter_child_exprs(e)), pc))
        if isinstance(e, ir.BinOp):
            return self.union([e.left, e.right], pc)
        if isinstance(e, ir.Subscript):
            env_key = self.environ_key(e)
            if env_key is not None:  # ``os.environ["X"]``: like ``os.getenv("X")``
                sk = _env_source(env_key, SourceKind("environment", "value"))
                return frozenset({self.source(sk, f"`{unparse(e)}`", e.span)}) if sk \
                    else NONE
            base = self.eval(e.value, pc)
            idx = self.eval(e.index, pc)
            if isinstance(e.index, ir.Const) and e.index.kind == "str":
                base = _drop_order(base)
            return as_value(base) | value_part(idx)
        if isinstance(e, ir.IfExp):
            test = value_part(self.eval(e.test, pc))
            if test and (self.e.launches.expr_launches(e.body)
                         or self.e.launches.expr_launches(e.orelse)):
                self.sink("control", test, e.test, "decides which sub-task runs")
            return self.eval(e.body, pc | test) | self.eval(e.orelse, pc | test) | test
        if isinstance(e, ir.NamedExpr):
            t = self.eval(e.value, pc)
            self.env[e.target.id] = t
            return t
        if isinstance(e, ir.Yield):
            if e.value is not None:
                self.flow.returns = _cap(self.flow.returns | self.eval(e.value, pc))
            return NONE
        if isinstance(e, ir.Lambda):
            return NONE
        return self.union(list(ir.iter_child_exprs(e)), pc)

    def union(self, es: list[ir.Expr], pc: Taints) -> Taints:
        out: Taints = NONE
        for x in es:
            out |= self.eval(x, pc)
        return _cap(out)

    def name_or_attr(self, e: ir.Expr) -> Taints:
        """A module-level name: an external source (``os.environ``) or a project global."""
        dotted = local_external(self.imports, e) if self.imports else None
        if dotted is not None:
            k = classify_attribute(dotted)
            return frozenset({self.source(k, f"`{unparse(e)}`", _span(e))}) if k else NONE
        r = self.e.resolver.resolve(self.module, e, self.locals)
        if r is None:
            return NONE
        if r.kind == "external":
            k = classify_attribute(r.dotted)
            if k is not None:
                return frozenset({self.source(k, f"`{unparse(e)}`", _span(e))})
            return NONE
        if r.kind == "symbol" and not r.rest and r.key in self.e.program.globals:
            found = self.e.global_taint(r.key)
            return frozenset(replace(t, path=self.path, span=_span(e),
                                     what=f"`{unparse(e)}`") for t in found)
        return NONE

    def source(self, k: SourceKind, what: str, span: Span) -> Taint:
        return Taint(k.kind, k.category, what, self.path, span)

    def comp(self, e: ir.Comp, pc: Taints) -> Taints:
        saved: dict[str, Taints | None] = {}
        order: Taints = NONE
        count: Taints = NONE
        filt: Taints = NONE
        for g in e.generators:
            it = self.eval(g.iter, pc)
            for n in target_names(g.target):
                saved.setdefault(n, self.env.get(n))
            self.bind(g.target, self.element(g.iter, it), pc)
            count |= value_part(it)
            order |= frozenset(t for t in it if t.kind == "order")
            for c in g.ifs:
                filt |= value_part(self.eval(c, pc))
        elt_launches = self.e.launches.expr_launches(e.elt)
        if count and elt_launches:
            self.sink("count", count, e.generators[0].iter,
                      "decides how many sub-tasks the comprehension launches, and with which"
                      " inputs")
        if filt and elt_launches:
            self.sink("control", filt, e.generators[0].ifs[0] if e.generators[0].ifs
                      else e.elt, "decides which sub-tasks the comprehension launches")
        out = self.eval(e.elt, pc)
        if e.value is not None:
            out |= self.eval(e.value, pc)
        for n, old in saved.items():
            if old is None:
                self.env.pop(n, None)
            else:
                self.env[n] = old
        out = out | count | filt
        if e.kind == "set":
            return _drop_order(out) | {self.source(SourceKind("order", "order"),
                                                   "a set comprehension", e.span)}
        return _cap(out | order)

    # ------------------------------------------------------------------------ calls

    def call(self, e: ir.Call, pc: Taints) -> Taints:
        site = self.e.launches.site(e)
        args = [(a, self.eval(a.value, pc)) for a in e.args]
        arg_taint: Taints = NONE
        for _, t in args:
            arg_taint |= t
        if site is not None and (is_launch(site) or site.how in ("map", "map_aio")):
            self.launch_sinks(e, site, args, pc)
            if site.how in ("map", "map_aio"):
                # results come back in input order
                return frozenset(x for _, ts in args[1:] for x in ts if x.kind == "order")
            return NONE
        if site is not None and site.target_kind == "trace":
            return NONE
        if site is not None and is_inline(site) and site.target is not None:
            return self.helper(e, site, site.target, args, arg_taint, pc)
        func = e.func
        receiver: Taints = NONE
        name = site.external if site is not None and site.external else self.ext(func)
        if name is None and isinstance(func, ir.Attribute):
            receiver = self.eval(func.value, pc)
        elif isinstance(func, ir.Call):
            receiver = self.eval(func, pc)
        if name is not None:
            n_args = len([a for a in e.args if not a.star])
            k = classify_call(name, n_args)
            if name in SHUFFLERS and e.positional:
                target = e.positional[0]
                if isinstance(target, ir.Name):
                    gen = global_generator(name)
                    drawn = self.seeded[gen] if gen in self.seeded else frozenset(
                        {self.source(SourceKind("random", "value"), _show(e), e.span)})
                    self.env[target.id] = self.env.get(target.id, NONE) | drawn
                return NONE
            if name in GLOBAL_SEEDERS:
                self.seed(GLOBAL_SEEDERS[name], e, arg_taint)
                return NONE
            if k is not None and k.category == "environment":
                k = _env_source(_env_key(e), k)
            gen = global_generator(name) if k is not None and k.category == "random" else None
            if gen is not None and gen in self.seeded:
                return arg_taint | self.seeded[gen]  # a draw from a seeded generator
            if k is not None and k.category == "random" and any(
                    a.keyword in ("generator", "random_state", "rng") for a in e.args):
                k = None  # drawn from an explicit (possibly seeded) generator: its taint flows
            if k is not None:
                src = self.source(k, _show(e), e.span)
                if name in ("builtins.set", "builtins.frozenset"):
                    if e.positional and self.int_elements(e.positional[0]):
                        return _drop_order(arg_taint)
                    return _drop_order(arg_taint) | {src}
                if name == "builtins.hash" and e.positional and self.int_like(e.positional[0]):
                    return arg_taint
                return arg_taint | {src}
            if name in ORDER_FREE:
                return _drop_order(arg_taint)
            if name.startswith("flyte.") and not name.startswith("flyte.remote"):
                if name.endswith((".from_df", ".wrap_df")):
                    return as_value(arg_taint)  # a reference to that data
                return NONE  # flyte.io paths and references, flyte.durable, flyte.ctx()
            if name in ORDER_KEEPING:
                return arg_taint
            return as_value(arg_taint)
        # a method call on a value, or a call of a local callable
        if isinstance(func, ir.Attribute):
            attr = func.attr
            if any(t.kind == "client" and (attr in CLIENT_READS or t.category == "sdk")
                   for t in receiver):
                src = Taint("value", "network", _show(e), self.path, e.span)
                receiver = frozenset(t for t in receiver if t.kind != "client")
                return as_value(arg_taint | receiver) | {src}
            root = _root(func.value)
            if attr in SEEDERS and e.args:
                # ``torch.Generator().manual_seed(rank)``, ``rng.seed(42)``: seeded
                if isinstance(root, ir.Name) and root.id in self.env:
                    self.env[root.id] = _drop_random(self.env[root.id]) | arg_taint
                return _drop_random(receiver) | arg_taint
            if attr in MUTATORS and isinstance(root, ir.Name) and root.id in self.locals:
                self.env[root.id] = _cap(self.env.get(root.id, NONE) | arg_taint | pc)
                return NONE
            if attr == "sort" and isinstance(root, ir.Name) and root.id in self.env:
                self.env[root.id] = _drop_order(self.env[root.id])
                return NONE
            if attr in KEYED_METHODS:
                return receiver | arg_taint
            if attr == "iterdir" or (attr in ("glob", "rglob") and self.is_path(func.value)):
                # ``Path.iterdir()`` / ``Path.glob()``: filesystem order
                return as_value(receiver | arg_taint) | {
                    self.source(SourceKind("order", "order"), _show(e), e.span)}
        return as_value(receiver | arg_taint)

    def seed(self, generators: tuple[str, ...], e: ir.Call, arg_taint: Taints) -> None:
        """``random.seed(n)``: later draws repeat, with the seed's own taint; ``random.seed()``
        seeds from the OS, so later draws stay random."""
        for g in generators:
            if e.args:
                self.seeded[g] = value_part(arg_taint)
            else:
                self.seeded.pop(g, None)

    def environ_key(self, e: ir.Subscript) -> str | None:
        """``"X"`` of ``os.environ["X"]``."""
        idx = e.index
        if not (isinstance(idx, ir.Const) and isinstance(idx.value, str)):
            return None
        return idx.value if self.ext(e.value) in ("os.environ", "os.environb") else None

    def helper(self, e: ir.Call, site: CallSite, target: str, args: list[tuple[ir.Arg, Taints]],
               arg_taint: Taints, pc: Taints) -> Taints:
        f = self.e.program.functions.get(target)
        if f is None:
            return as_value(arg_taint)
        seeded = self.e.seeders(target)
        if seeded:  # ``set_seed(42)``: a helper that seeds the module-level generators
            self.seed(seeded, e, arg_taint)
        if arg_taint and self.e.launches.launches(target):
            seeds = _bind_params(f.function, args, skip_self=f.kind == "method")
            if seeds:
                step = (f"passed to {self.e.describe(target)} (line {e.span.line}),"
                        f" which launches sub-tasks")
                inner = self.e.flow_with(target, seeds, self.depth + 1)
                mine = {t for ts in seeds.values() for t in ts}
                for s in inner.sinks:
                    kept = frozenset(t for t in s.taints if t in mine)
                    if kept:
                        self.flow.sinks.append(Sink(s.kind, kept, s.path, s.span, s.detail,
                                                    (step, *s.steps)))
        summary = self.e.flow(target).returns
        out = as_value(arg_taint)
        for t in summary:
            if t.kind == "client":
                continue
            where = f"{t.path}:{t.span.line}"
            out |= {Taint(t.kind, t.category, _show(e), self.path, e.span,
                          (f"{self.e.describe(target)} returns a value from {t.what}"
                           f" ({where})", *t.steps))}
        return _cap(out)

    def launch_sinks(self, e: ir.Call, site: CallSite, args: list[tuple[ir.Arg, Taints]],
                     pc: Taints) -> None:
        callee = self.callee(site)
        line = e.span.line
        if site.how in ("map", "map_aio"):
            for i, (a, t) in enumerate(args):
                if i == 0 or a.keyword in ("concurrency", "return_exceptions"):
                    if i == 0 and isinstance(a.value, ir.Call):
                        # functools.partial(task, x=...): bound inputs
                        for b in a.value.args[1:]:
                            bt = self.eval(b.value, pc)
                            if bt:
                                self.sink("input", bt, b.value,
                                          f"bound input `{b.keyword or '?'}` of {callee}"
                                          f" (line {line})")
                    continue
                if not t:
                    continue
                what = (f"the group name of `flyte.map` over {callee}" if a.keyword
                        else f"the items `flyte.map` feeds to {callee}")
                self.sink("input", t, a.value, f"{what} (line {line})")
            return
        params = self.callee_params(site)
        pos = 0
        for a, t in args:
            if a.keyword is not None:
                pname = a.keyword
            elif a.star:
                pname = None
            else:
                pname = params[pos] if pos < len(params) else None
                pos += 1
            if not t:
                continue
            label = f"input `{pname}`" if pname else "an input"
            self.sink("input", t, a.value, f"{label} of {callee} (line {line})")
        # ``.override(...)`` values are not sinks: they change the task template (resources,
        # retries, links ...), not the child action's identity (task, inputs, sequence).

    def callee(self, site: CallSite) -> str:
        if site.target is not None:
            return self.e.describe(site.target)
        return f"remote task `{site.remote_name or '?'}`"

    def callee_params(self, site: CallSite) -> list[str]:
        if site.target is None:
            return []
        f = self.e.program.functions.get(site.target)
        if f is None:
            return []
        return [p.name for p in f.function.params if p.kind in ("posonly", "normal")]

    def is_path(self, e: ir.Expr) -> bool:
        """Is ``e`` a ``pathlib.Path`` (a call of it, or a name bound to one / annotated so)?"""
        if isinstance(e, ir.Call):
            return self.ext(e.func) in PATH_TYPES
        if isinstance(e, ir.BinOp) and e.op == "/":
            return self.is_path(e.left)
        if isinstance(e, ir.Name):
            if e.id in self.path_names:
                return True
            p = self.fn.param(e.id) if self.fn is not None else None
            return p is not None and (p.annotation_text or "") in ("Path", "pathlib.Path")
        return False

    def int_elements(self, e: ir.Expr) -> bool:
        """Are the elements of ``e`` known to be ints (stable set order)?"""
        if isinstance(e, ir.Seq):
            return all(_is_int(x) for x in e.elts)
        if isinstance(e, ir.Call) and self.ext(e.func) == "builtins.range":
            return True
        if isinstance(e, ir.Name) and self.fn is not None:
            p = self.fn.param(e.id)
            text = p.annotation_text if p is not None else None
            if text is not None:
                inner = text.replace(" ", "")
                return inner in ("list[int]", "set[int]", "tuple[int,...]", "List[int]",
                                 "frozenset[int]", "Set[int]")
        return False

    def int_like(self, e: ir.Expr) -> bool:
        if _is_int(e):
            return True
        if isinstance(e, ir.Name) and self.fn is not None:
            p = self.fn.param(e.id)
            return p is not None and p.annotation_text in ("int", "bool")
        return False

    def sink(self, kind: str, taints: Taints, at: ir.Expr | None, detail: str,
             span: Span | None = None) -> None:
        where = span or (_span(at) if at is not None else None)
        if where is None:
            return
        self.flow.sinks.append(Sink(kind, taints, self.path, where, detail))


def _bind_params(fn: ir.FunctionDef, args: list[tuple[ir.Arg, Taints]],
                 skip_self: bool) -> dict[str, Taints]:
    params = [p for p in fn.params if p.kind in ("posonly", "normal")]
    if skip_self and params:
        params = params[1:]
    out: dict[str, Taints] = {}
    pos = 0
    for a, t in args:
        if a.star:
            continue
        if a.keyword is not None:
            name: str | None = a.keyword if fn.param(a.keyword) is not None else None
        else:
            name = params[pos].name if pos < len(params) else None
            pos += 1
        if name is not None and t:
            out[name] = value_part(t) | frozenset(x for x in t if x.kind == "order")
    return out


CREDENTIAL_WORDS = ("TOKEN", "SECRET", "PASSWORD", "API_KEY", "APIKEY", "ACCESS_KEY",
                    "CREDENTIAL", "AUTH")


def _env_key(e: ir.Call) -> str | None:
    key = e.positional[0] if e.positional else e.keyword("key")
    return key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else None


_POD_VARS = re.compile(r"(^|_)(POD|HOST|HOSTNAME|NODE)(_|$)|(^|_)IP$")


def _env_source(key: str | None, k: SourceKind) -> SourceKind | None:
    """What reading environment variable ``key`` is. A named variable is configuration,
    fixed by the task template for every execution and retry: not a source; except a
    credential (never a source), the attempt number (differs on every retry) and what
    Kubernetes sets per pod (``MY_POD_IP``, ``HOSTNAME``: differs on every execution).
    Reads by a computed name (``os.getenv(flag)``) or of the whole environment stay
    environment sources."""
    if key is None:
        return k
    if _credential_name(key):
        return None
    if key in ATTEMPT_ENV:
        return SourceKind("attempt", "value")
    if _POD_VARS.search(key.upper()):
        return SourceKind("host", "value")
    return None


def _credential_name(name: str) -> bool:
    return any(w in name.upper() for w in CREDENTIAL_WORDS)


def _show(e: ir.Call) -> str:
    """```datetime.now()```, ```set(tables)```, ```helpers.pick(...)``` for messages."""
    text = unparse(e)
    if len(text) <= 40 and "\n" not in text:
        return f"`{text}`"
    return f"`{unparse(e.func)}(...)`"


def _root(e: ir.Expr) -> ir.Expr:
    while isinstance(e, (ir.Attribute, ir.Subscript)):
        e = e.value
    return e


def _is_int(e: ir.Expr) -> bool:
    return isinstance(e, ir.Const) and e.kind in ("int", "bool")


def _span(e: ir.Expr) -> Span:
    return e.span if hasattr(e, "span") else Span(1, 1, 1, 1)
