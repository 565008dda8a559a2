"""What the interpreter needs from the program: callee resolution and per-function frames."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flytec.compiler.recover.scopes import local_names
from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.compiler.resolve import Resolver
from flytec.compiler.workflow.source import SourceText
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
        self._by_module_suffix: dict[str, list[str]] = {}
        for m in program.modules:
            parts = m.split(".")
            for i in range(len(parts)):
                self._by_module_suffix.setdefault(".".join(parts[i:]), []).append(m)

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
