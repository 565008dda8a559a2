"""What the interpreter needs from the program: callee resolution and per-function frames."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flytec.compiler.recover.scopes import local_names
from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.compiler.resolve import Resolver
from flytec.compiler.workflow.source import MUTATORS, SourceText, assignment_targets
from flytec.compiler.workflow.values import CallableV, Callee, Value
from flytec.model import body as ir
from flytec.model.program import Dynamic, EnvRef, Program, StaticCall, SymbolRef, to_jsonable
from flytec.model.span import Span

REMOTE_GET = "flyte.remote.Task.get"


class Context:
    """Program-wide lookups shared by every task's extraction."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.resolver = Resolver(program.modules)
        self.evaluator = StaticEvaluator(self.resolver, set(program.environments))
        self._calls_tasks: dict[str, bool] = {}
        self._module_state: frozenset[str] | None = None
        self._by_module_suffix: dict[str, list[str]] = {}
        for m in program.modules:
            parts = m.split(".")
            for i in range(len(parts)):
                self._by_module_suffix.setdefault(".".join(parts[i:]), []).append(m)

    # ------------------------------------------------------------------ module state

    def module_state(self) -> frozenset[str]:
        """Keys (``module:name``) of module globals some function of the program changes:
        ``SEEN.append(x)``, ``CACHE[k] = v``, ``global n; n += 1``. Tasks run in the driver's
        process locally (the SDK's local mode and ``flytec run``), so such a value is state
        shared with the tasks: it is never folded, and glue reading it runs in program order
        with the task calls around it."""
        if self._module_state is None:
            out: set[str] = set()
            for f in self.program.functions.values():
                locals_ = local_names(f.function)
                for name in _mutated_names(f.function):
                    if name in locals_:  # (``global`` names are not locals)
                        continue
                    r = self.resolver.resolve(f.module, ir.Name(name, _SPAN), frozenset())
                    if r is not None and r.kind == "symbol" and not r.rest:
                        out.add(r.key)
            self._module_state = frozenset(out)
        return self._module_state

    def is_module_state(self, module: str, e: ir.Expr, locals_: frozenset[str]) -> bool:
        """Whether name ``e`` (read in ``module``) is a global of :meth:`module_state`."""
        if not isinstance(e, ir.Name) or e.id in locals_:
            return False
        state = self.module_state()
        if not state:
            return False
        r = self.resolver.resolve(module, e, locals_)
        return r is not None and r.kind == "symbol" and not r.rest and r.key in state

    def only_bounds(self, fn: ir.FunctionDef, name: str) -> bool:
        """Whether ``fn`` uses local ``name`` only as ``async with name:`` (or passes it to
        a nested function or helper that does: checked where that is interpreted), after
        binding it once."""
        bound = 0
        entered: set[int] = set()
        for s in ir.walk_stmts(fn.body):
            if isinstance(s, ir.With):
                for it in s.items:
                    if isinstance(it.context, ir.Name) and it.context.id == name:
                        if not s.is_async or it.target is not None:
                            return False
                        entered.add(id(it.context))
            if isinstance(s, (ir.Assign, ir.AnnAssign, ir.AugAssign)):
                targets = s.targets if isinstance(s, ir.Assign) else [s.target]
                if any(isinstance(t, ir.Name) and t.id == name for t in targets):
                    bound += 1
                    if isinstance(s, ir.AugAssign):
                        return False
        if bound > 1:
            return False
        for s in ir.walk_stmts(fn.body):
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if isinstance(x, ir.Name) and x.id == name and id(x) not in entered:
                        if not _passed_as_argument(e, x):
                            if not (isinstance(s, (ir.Assign, ir.AnnAssign))
                                    and _is_target(s, x)):
                                return False
        return True

    # ------------------------------------------------------------------- callees

    def callee_for_key(self, key: str, via: tuple[str, ...] = ()) -> Callee | None:
        p = self.program
        task = p.tasks.get(key)
        if task is not None:
            return Callee("task", key, task.fqn, via, is_async=task.is_async)
        trace = p.traces.get(key)
        if trace is not None:
            return Callee("trace", key, None, via, is_async=trace.function.is_async)
        f = p.functions.get(key)
        if f is not None and f.kind == "helper":
            return Callee("helper", key, None, via, is_async=f.function.is_async)
        mod, _, name = key.partition(":")
        if "." not in name and mod in p.modules:
            v = self.evaluator.eval(mod, ir.Name(name, _SPAN))
            remote = remote_name(v)
            if remote is not None:
                return Callee("remote", None, remote, via, remote_name=remote)
        return None

    def external_task(self, dotted: str) -> str | None:
        """A project task reached through an import root flytec did not use (``pkg.mod.f``)."""
        mod, _, name = dotted.rpartition(".")
        for m in self._by_module_suffix.get(mod, []):
            key = f"{m}:{name}"
            if key in self.program.tasks or key in self.program.traces:
                return key
        return None

    def calls_tasks(self, key: str, _seen: frozenset[str] = frozenset()) -> bool:
        """Whether function ``key`` calls tasks, traces or maps in its own process."""
        if key in self._calls_tasks:
            return self._calls_tasks[key]
        result = False
        for site in self.program.calls.get(key, ()):
            if site.target_kind in ("task", "trace", "remote") or site.how in (
                "map", "map_aio", "remote"
            ):
                result = True
            elif site.external is not None and (
                site.external.startswith("flyte.map") or self.external_task(site.external)
            ):
                result = True
            elif site.target_kind == "helper" and site.target and site.target not in _seen:
                result = self.calls_tasks(site.target, _seen | {key})
            elif site.target is None and site.external is None:
                result = False
            if result:
                break
        if not result:
            result = self._calls_remote_global(key) or self._awaits_unknown(key)
        if not result:  # a function defined in the body that calls tasks (and is called)
            prefix = f"{key}.<locals>."
            result = any(k.startswith(prefix) and "." not in k[len(prefix):]
                         and k not in _seen and self.calls_tasks(k, _seen | {key})
                         for k in self.program.functions)
        if not _seen:
            self._calls_tasks[key] = result
        return result

    def _awaits_unknown(self, key: str) -> bool:
        """``await f(...)`` where ``f`` is a local value, an item or a getattr(): it may be
        a task, so the body is interpreted (and reported dynamic)."""
        f = self.program.functions.get(key)
        if f is None or f.kind != "task":
            return False
        locals_ = local_names(f.function)
        nested = {s.func.name for s in ir.walk_stmts(f.function.body)
                  if isinstance(s, ir.FunctionStmt)}
        for s in ir.walk_stmts(f.function.body):
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if not isinstance(x, ir.Await) or not isinstance(x.value, ir.Call):
                        continue
                    fn = x.value.func
                    if isinstance(fn, ir.Name) and fn.id in locals_ and fn.id not in nested:
                        if f.function.param(fn.id) is None:
                            return True
                    if isinstance(fn, ir.Subscript):
                        return True
                    if isinstance(fn, ir.Call) and isinstance(fn.func, ir.Name) and (
                        fn.func.id == "getattr"
                    ):
                        return True
        return False

    def _calls_remote_global(self, key: str) -> bool:
        f = self.program.functions.get(key)
        if f is None:
            return False
        locals_ = local_names(f.function)
        for s in ir.walk_stmts(f.function.body):
            for e in ir.stmt_exprs(s):
                for x in ir.walk_expr(e):
                    if isinstance(x, ir.Call) and isinstance(x.func, ir.Name) and (
                        x.func.id not in locals_
                    ):
                        r = self.resolver.resolve(f.module, x.func, locals_)
                        if r is not None and r.kind == "symbol" and not r.rest:
                            c = self.callee_for_key(r.key)
                            if c is not None and c.kind == "remote":
                                return True
        return False


def _root_name(e: ir.Expr) -> str | None:
    while isinstance(e, (ir.Attribute, ir.Subscript)):
        e = e.value
    return e.id if isinstance(e, ir.Name) else None


def _mutated_names(fn: ir.FunctionDef) -> set[str]:
    """Names whose value ``fn`` changes in place (or rebinds, for ``global`` names)."""
    out: set[str] = set()
    declared = {n for s in ir.walk_stmts(fn.body) if isinstance(s, ir.ScopeDecl)
                and s.kind == "global" for n in s.names}
    for s in ir.walk_stmts(fn.body):
        for t in assignment_targets(s):
            for x in ir.walk_expr(t):
                if isinstance(x, ir.Name) and x.id in declared:
                    out.add(x.id)
                elif isinstance(x, (ir.Attribute, ir.Subscript)):
                    root = _root_name(x)
                    if root is not None:
                        out.add(root)
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, ir.Call) and isinstance(x.func, ir.Attribute) and (
                    x.func.attr in MUTATORS
                ):
                    root = _root_name(x.func.value)
                    if root is not None:
                        out.add(root)
    return out


def _passed_as_argument(e: ir.Expr, name: ir.Name) -> bool:
    """Whether ``name`` occurs in ``e`` only as a whole argument of a call."""
    for x in ir.walk_expr(e):
        if isinstance(x, ir.Call) and any(a.value is name and not a.star for a in x.args):
            return True
    return False


def _is_target(s: ir.Assign | ir.AnnAssign, name: ir.Name) -> bool:
    targets = s.targets if isinstance(s, ir.Assign) else [s.target]
    return any(t is name for t in targets)


def remote_name(v: Any) -> str | None:
    if isinstance(v, StaticCall) and v.func == REMOTE_GET:
        arg = v.args[0] if v.args else v.kw("name")
        return arg if isinstance(arg, str) else "?"
    return None


def jsonable_static(v: Any) -> Any:
    """A static value as JSON, or None when it is not fully static."""
    if isinstance(v, (Dynamic, SymbolRef, EnvRef, StaticCall)):
        return None
    if isinstance(v, (list, tuple)):
        items = [jsonable_static(x) for x in v]
        return None if any(i is None and x is not None for i, x in zip(items, v)) else items
    if isinstance(v, dict):
        out = {str(k): jsonable_static(x) for k, x in v.items()}
        return None if any(out[str(k)] is None and x is not None for k, x in v.items()) else out
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return None


def option_json(v: Any) -> Any:
    return to_jsonable(v)


_SPAN = Span(1, 1, 1, 1)


@dataclass
class Frame:
    """One function being interpreted (the task, or a helper inlined into it)."""

    key: str
    module: str
    fn: ir.FunctionDef
    src: SourceText
    locals: frozenset[str]
    env: dict[str, Value] = field(default_factory=dict)

    @staticmethod
    def of(key: str, module: str, fn: ir.FunctionDef) -> Frame:
        return Frame(key, module, fn, SourceText(fn), local_names(fn))


def resolve_callee(ctx: Context, frame: Frame, f: ir.Expr) -> Callee | None:
    """The project callable an expression names, without local aliases."""
    if isinstance(f, ir.Name) and f.id in frame.env:
        v = frame.env[f.id]
        return v.callee if isinstance(v, CallableV) else None
    if isinstance(f, ir.Attribute) and f.attr in ("aio", "forward"):
        inner = resolve_callee(ctx, frame, f.value)
        if inner is not None:
            return replace(inner, via=(*inner.via, f.attr))
        return None
    r = ctx.resolver.resolve(frame.module, f, frame.locals)
    if r is None:
        return None
    if r.kind == "symbol":
        via: tuple[str, ...] = ()
        rest = r.rest
        if rest and rest[-1] in ("aio", "forward"):
            via, rest = (rest[-1],), rest[:-1]
        if rest:
            return None
        return ctx.callee_for_key(r.key, via)
    if r.kind == "external":
        dotted = r.dotted
        via = ()
        if dotted.endswith((".aio", ".forward")):
            dotted, _, last = dotted.rpartition(".")
            via = (last,)
        key = ctx.external_task(dotted)
        if key is not None:
            return ctx.callee_for_key(key, via)
    return None
