"""Call sites inside function bodies: what is called, how, and in which context."""

from __future__ import annotations

from dataclasses import dataclass

from flytec.compiler.recover.static_eval import StaticEvaluator
from flytec.compiler.resolve import Resolver
from flytec.model import body as ir
from flytec.model.program import CallSite, Program
from flytec.model.span import Span
from flytec.model.unparse import unparse

GATHER = {"asyncio.gather"}
SCHEDULE = {"asyncio.create_task", "asyncio.ensure_future"}
WRAPPERS = {"asyncio.wait_for", "asyncio.shield", "asyncio.wait", "asyncio.as_completed"}
MAP = {"flyte.map": "map", "flyte.map.aio": "map_aio"}
REMOTE_GET = {"flyte.remote.Task.get"}
PARTIAL = {"functools.partial"}
GROUP = {"flyte.group"}
MODIFIERS = ("aio", "forward")


@dataclass
class _Ref:
    """A callable that refers to a project function (task, trace, helper) or a remote task."""

    target: str | None
    kind: str
    via: tuple[str, ...] = ()
    override: ir.Call | None = None
    remote: str | None = None


class CallCollector:
    def __init__(
        self,
        program: Program,
        resolver: Resolver,
        evaluator: StaticEvaluator,
        module: str,
        fn: ir.FunctionDef,
        key: str,
        local: frozenset[str],
    ) -> None:
        self.program = program
        self.resolver = resolver
        self.ev = evaluator
        self.module = module
        self.fn = fn
        self.key = key
        self.local = local
        self.sites: list[CallSite] = []
        self.aliases: dict[str, _Ref] = {}
        self.stored: list[tuple[CallSite, str]] = []
        self.loads: dict[str, list[Span]] = {}

    # ------------------------------------------------------------------------ entry

    def run(self) -> list[CallSite]:
        self._find_aliases()
        self.block(self.fn.body, (), (), None)
        for site, var in self.stored:
            later = [
                sp
                for sp in self.loads.get(var, [])
                if (sp.line, sp.column) > (site.span.line, site.span.column)
            ]
            if not later:
                site.discarded = True
        return self.sites

    def _find_aliases(self) -> None:
        counts: dict[str, int] = {}
        candidates: dict[str, ir.Expr] = {}
        for s in ir.walk_stmts(self.fn.body):
            if isinstance(s, ir.Assign):
                for t in s.targets:
                    if isinstance(t, ir.Name):
                        counts[t.id] = counts.get(t.id, 0) + 1
                        candidates[t.id] = s.value
            elif isinstance(s, (ir.AugAssign, ir.AnnAssign, ir.For)):
                t = s.target
                if isinstance(t, ir.Name):
                    counts[t.id] = counts.get(t.id, 0) + 2
        for name, value in candidates.items():
            if counts.get(name) != 1:
                continue
            ref = self._alias_value(value)
            if ref is not None:
                self.aliases[name] = ref

    def _alias_value(self, value: ir.Expr) -> _Ref | None:
        if isinstance(value, ir.Call):
            ext = self._external(value.func)
            if ext in REMOTE_GET:
                name_arg = value.keyword("name")
                if name_arg is None and value.positional:
                    name_arg = value.positional[0]
                name = self.ev.eval(self.module, name_arg) if name_arg is not None else None
                return _Ref(None, "remote", remote=name if isinstance(name, str) else None)
            if isinstance(value.func, ir.Attribute) and value.func.attr == "override":
                base = self.ref(value.func.value)
                if base is not None:
                    return _Ref(base.target, base.kind, (*base.via, "override"), value, base.remote)
            return None
        if isinstance(value, (ir.Name, ir.Attribute)):
            return self.ref(value)
        return None

    # -------------------------------------------------------------------- resolution

    def _external(self, e: ir.Expr) -> str | None:
        return self.resolver.external_name(self.module, e, self.local)

    def ref(self, e: ir.Expr) -> _Ref | None:
        """What a callable expression refers to, with ``.aio``/``.override``/``.forward``."""
        if isinstance(e, ir.Name) and e.id in self.aliases:
            return self.aliases[e.id]
        if isinstance(e, ir.Attribute) and e.attr in MODIFIERS:
            inner = self.ref(e.value)
            if inner is not None:
                return _Ref(inner.target, inner.kind, (*inner.via, e.attr), inner.override,
                            inner.remote)
        if isinstance(e, ir.Call) and isinstance(e.func, ir.Attribute):
            if e.func.attr == "override":
                inner = self.ref(e.func.value)
                if inner is not None:
                    return _Ref(inner.target, inner.kind, (*inner.via, "override"), e,
                                inner.remote)
        r = self.resolver.resolve(self.module, e, self.local)
        if r is None or r.kind != "symbol":
            return None
        if r.key in self.program.remote_refs and not r.rest:
            return _Ref(None, "remote", remote=self.program.remote_refs[r.key])
        rest = r.rest
        via: tuple[str, ...] = ()
        if rest and rest[-1] in MODIFIERS:
            via = (rest[-1],)
            rest = rest[:-1]
        if rest:
            return None
        if r.key in self.program.tasks:
            return _Ref(r.key, "task", via)
        if r.key in self.program.traces:
            return _Ref(r.key, "trace", via)
        f = self.program.functions.get(r.key)
        if f is not None:
            return _Ref(r.key, f.kind, via)
        return None

    # ------------------------------------------------------------------- statements

    def block(
        self,
        body: list[ir.Stmt],
        ctx: tuple[str, ...],
        exc: tuple[tuple[str, Span], ...],
        group: str | None,
    ) -> None:
        for s in body:
            self.stmt(s, ctx, exc, group)

    def stmt(
        self, s: ir.Stmt, ctx: tuple[str, ...], exc: tuple[tuple[str, Span], ...], group: str | None
    ) -> None:
        if isinstance(s, ir.ExprStmt):
            self.expr(s.value, ctx, exc, group, "discard")
        elif isinstance(s, ir.Assign):
            var = s.targets[0].id if len(s.targets) == 1 and isinstance(
                s.targets[0], ir.Name) else None
            for t in s.targets:
                self.expr(t, ctx, exc, group, "target")
            self.expr(s.value, ctx, exc, group, f"store:{var}" if var else "use")
        elif isinstance(s, (ir.AugAssign, ir.AnnAssign)):
            self.expr(s.target, ctx, exc, group, "target")
            if s.value is not None:
                self.expr(s.value, ctx, exc, group, "use")
            if isinstance(s, ir.AnnAssign):
                self.expr(s.annotation, ctx, exc, group, "use")
        elif isinstance(s, ir.Return):
            if s.value is not None:
                self.expr(s.value, ctx, exc, group, "use")
        elif isinstance(s, ir.If):
            self.expr(s.test, ctx, exc, group, "use")
            inner = (*ctx, "if")
            self.block(s.body, inner, exc, group)
            self.block(s.orelse, inner, exc, group)
        elif isinstance(s, ir.For):
            self.expr(s.target, ctx, exc, group, "target")
            self.expr(s.iter, ctx, exc, group, "use")
            self.block(s.body, (*ctx, "loop"), exc, group)
            self.block(s.orelse, ctx, exc, group)
        elif isinstance(s, ir.While):
            self.expr(s.test, (*ctx, "loop"), exc, group, "use")
            self.block(s.body, (*ctx, "loop"), exc, group)
            self.block(s.orelse, ctx, exc, group)
        elif isinstance(s, ir.Try):
            types: list[tuple[str, Span]] = []
            for h in s.handlers:
                if h.type is None:
                    types.append(("BaseException", h.span))
                    continue
                elts = h.type.elts if isinstance(h.type, ir.Seq) else [h.type]
                for t in elts:
                    r = self.resolver.resolve(self.module, t, self.local)
                    tspan = getattr(t, "span", h.span)
                    if r is None:
                        types.append((unparse(t), tspan))
                    elif r.kind == "external":
                        types.append((r.dotted, tspan))
                    else:
                        types.append((".".join([r.key, *r.rest]), tspan))
                self.expr(h.type, ctx, exc, group, "use")
            self.block(s.body, (*ctx, "try"), (*exc, *types), group)
            for h in s.handlers:
                self.block(h.body, (*ctx, "except"), exc, group)
            self.block(s.orelse, ctx, exc, group)
            self.block(s.finalbody, (*ctx, "finally"), exc, group)
        elif isinstance(s, ir.With):
            inner_ctx = (*ctx, "with")
            inner_group = group
            for it in s.items:
                self.expr(it.context, ctx, exc, group, "use")
                c = it.context
                if isinstance(c, ir.Call) and self._external(c.func) in GROUP:
                    inner_ctx = (*ctx, "group")
                    arg = c.positional[0] if c.positional else c.keyword("name")
                    v = self.ev.eval(self.module, arg) if arg is not None else None
                    inner_group = v if isinstance(v, str) else unparse(arg) if arg else "?"
            self.block(s.body, inner_ctx, exc, inner_group)
        else:
            for e in ir.stmt_exprs(s):
                self.expr(e, ctx, exc, group, "use")
            for b in ir.child_bodies(s):
                self.block(b, ctx, exc, group)

    # ------------------------------------------------------------------ expressions

    def expr(
        self,
        e: ir.Expr,
        ctx: tuple[str, ...],
        exc: tuple[tuple[str, Span], ...],
        group: str | None,
        role: str,
    ) -> None:
        if isinstance(e, ir.Name):
            if role != "target":
                self.loads.setdefault(e.id, []).append(e.span)
            return
        if isinstance(e, ir.Await):
            self.expr(e.value, ctx, exc, group, "await")
            return
        if isinstance(e, ir.Call):
            self.call(e, ctx, exc, group, role)
            return
        if isinstance(e, ir.Comp):
            inner = (*ctx, "comprehension")
            elt_role = role if role in ("gather", "schedule") else (
                role if role.startswith("store:") else "use")
            self.expr(e.elt, inner, exc, group, elt_role)
            if e.value is not None:
                self.expr(e.value, inner, exc, group, "use")
            for g in e.generators:
                self.expr(g.target, inner, exc, group, "target")
                self.expr(g.iter, ctx, exc, group, "use")
                for c in g.ifs:
                    self.expr(c, inner, exc, group, "use")
            return
        if isinstance(e, ir.Seq) and (role.startswith("store:") or role in ("gather", "target")):
            for x in e.elts:
                self.expr(x, ctx, exc, group, role)
            return
        if isinstance(e, ir.Starred):
            self.expr(e.value, ctx, exc, group, role)
            return
        if isinstance(e, ir.Lambda):
            for x in e.defaults:
                self.expr(x, ctx, exc, group, "use")
            self.expr(e.body, (*ctx, "lambda"), exc, group, "use")
            return
        if isinstance(e, ir.IfExp):
            self.expr(e.test, ctx, exc, group, "use")
            self.expr(e.body, (*ctx, "if"), exc, group, role if role == "await" else "use")
            self.expr(e.orelse, (*ctx, "if"), exc, group, role if role == "await" else "use")
            return
        for child in ir.iter_child_exprs(e):
            self.expr(child, ctx, exc, group, "use")

    def call(
        self,
        e: ir.Call,
        ctx: tuple[str, ...],
        exc: tuple[tuple[str, Span], ...],
        group: str | None,
        role: str,
    ) -> None:
        ext = None
        ref = self.ref(e.func)
        if ref is None:
            ext = self._external(e.func)
        arg_role = "use"
        if ext in GATHER:
            arg_role = "gather"
        elif ext in SCHEDULE or (
            ext is None and ref is None and isinstance(e.func, ir.Attribute)
            and e.func.attr == "create_task"
        ):
            arg_role = "schedule"
        elif ext in WRAPPERS:
            arg_role = "gather"
        elif isinstance(e.func, ir.Attribute) and e.func.attr in ("append", "extend", "add") \
                and isinstance(e.func.value, ir.Name):
            arg_role = f"store:{e.func.value.id}"
        if ref is not None or ext is not None:
            site = CallSite(
                caller=self.key,
                call=e,
                span=e.span,
                contexts=ctx,
                except_types=tuple(t for t, _ in exc),
                except_spans=tuple(sp for _, sp in exc),
                group=group,
            )
            if ref is not None:
                site.target = ref.target
                site.target_kind = ref.kind
                site.via = ref.via
                site.remote_name = ref.remote
                if ref.kind == "remote":
                    site.how = "remote"
                if ref.override is not None:
                    for a in ref.override.args:
                        if a.keyword:
                            site.override[a.keyword] = self.ev.eval(self.module, a.value)
                            site.override_spans[a.keyword] = getattr(a.value, "span", e.span)
            else:
                site.target_kind = "external"
                site.external = ext
            self._mark(site, role)
            self.sites.append(site)
            if ext in MAP:
                self._map_site(e, MAP[ext], ctx, exc, group, role)
        # the callee expression itself (e.g. ``t.override(...)`` inside ``func``)
        if isinstance(e.func, ir.Name):
            self.loads.setdefault(e.func.id, []).append(e.func.span)
        elif isinstance(e.func, ir.Call):
            self.expr(e.func, ctx, exc, group, "use")
        elif isinstance(e.func, ir.Attribute):
            self.expr(e.func.value, ctx, exc, group, "use")
        for a in e.args:
            self.expr(a.value, ctx, exc, group, arg_role)

    def _mark(self, site: CallSite, role: str) -> None:
        if role == "await":
            site.awaited = True
        elif role == "gather":
            site.gathered = True
        elif role == "schedule":
            site.scheduled = True
        elif role == "discard":
            site.discarded = True
        elif role.startswith("store:"):
            site.stored = True
            self.stored.append((site, role.split(":", 1)[1]))

    def _map_site(
        self,
        e: ir.Call,
        how: str,
        ctx: tuple[str, ...],
        exc: tuple[tuple[str, Span], ...],
        group: str | None,
    role: str,
    ) -> None:
        if not e.positional:
            return
        fn_arg = e.positional[0]
        partial = None
        if isinstance(fn_arg, ir.Call) and self._external(fn_arg.func) in PARTIAL:
            partial = fn_arg
            if not fn_arg.positional:
                return
            fn_arg = fn_arg.positional[0]
        ref = self.ref(fn_arg)
        if ref is None:
            return
        site = CallSite(
            caller=self.key,
            call=e,
            span=e.span,
            target=ref.target,
            target_kind=ref.kind,
            how=how,
            via=ref.via,
            contexts=ctx,
            except_types=tuple(t for t, _ in exc),
            except_spans=tuple(sp for _, sp in exc),
            group=group,
            awaited=True,
        )
        if partial is not None:
            site.override["partial"] = [a.keyword for a in partial.args if a.keyword]
        self.sites.append(site)


def find_remote_refs(program: Program, resolver: Resolver, ev: StaticEvaluator) -> None:
    """Module-level ``ref = flyte.remote.Task.get("env.task", ...)`` bindings."""
    for mod in program.modules.values():
        for g in mod.globals:
            stmt = g.value
            value = stmt.value if isinstance(stmt, (ir.Assign, ir.AnnAssign)) else None
            if not isinstance(value, ir.Call):
                continue
            if resolver.external_name(mod.module, value.func) not in REMOTE_GET:
                continue
            arg = value.keyword("name") or (value.positional[0] if value.positional else None)
            name = ev.eval(mod.module, arg) if arg is not None else None
            program.remote_refs[f"{mod.module}:{g.name}"] = name if isinstance(name, str) else None


def collect_calls(program: Program, resolver: Resolver) -> None:
    from flytec.compiler.recover.scopes import enclosing_locals

    ev = StaticEvaluator(resolver, set(program.environments))
    find_remote_refs(program, resolver, ev)
    for mod in program.modules.values():
        all_fns = [*mod.functions, *mod.nested_functions]
        by_q = {f.qualname: f for f in all_fns}
        for fn in all_fns:
            key = f"{mod.module}:{fn.qualname}"
            local = enclosing_locals(fn, by_q)
            program.calls[key] = CallCollector(program, resolver, ev, mod.module, fn, key,
                                               local).run()
