"""Interpreting expressions of a task body into workflow nodes and symbolic values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flytec.compiler.workflow.builder import Builder
from flytec.compiler.workflow.context import Context, Frame, jsonable_static, resolve_callee
from flytec.compiler.workflow.describe import describe
from flytec.compiler.workflow.effects import pure_external
from flytec.compiler.workflow.source import bound_inside, expr_text
from flytec.compiler.workflow.values import (
    Awaitable,
    CallableV,
    Callee,
    CoroList,
    Future,
    MapGen,
    Opaque,
    Pending,
    TupleV,
    Val,
    Value,
)
from flytec.model import body as ir
from flytec.model import workflow as w
from flytec.model.program import Function, to_jsonable
from flytec.model.span import Span
from flytec.model.unparse import unparse

GATHER = "asyncio.gather"
SCHEDULE = ("asyncio.create_task", "asyncio.ensure_future")
PASS_THROUGH = ("asyncio.wait_for", "asyncio.shield")
MAPS = ("flyte.map", "flyte.map.aio")
REFLECTION = {
    "builtins.getattr": "getattr()",
    "builtins.eval": "eval()",
    "builtins.exec": "exec()",
    "builtins.__import__": "__import__()",
    "importlib.import_module": "importlib.import_module()",
    "builtins.globals": "globals()",
    "builtins.vars": "vars()",
}
TASK_NODE_KINDS = frozenset({w.TASK, w.TRACE, w.REMOTE, w.MAP})
SEMAPHORES = ("asyncio.Semaphore", "asyncio.BoundedSemaphore")
SEMAPHORE_USED = ("a semaphore used for more than `async with` around task calls: what it "
                  "does is only known at run time")
#: nodes that run code (in a module's namespace)
CODE_KINDS = frozenset({w.GLUE, w.BRANCH, w.RAISE, w.LOOP})
#: calls whose custom context is the one where they start (are awaited), not created
CONTEXT_AT_START = frozenset({w.TASK, w.TRACE, w.REMOTE})
MAX_INLINE_DEPTH = 8

Where = tuple[str | None, str | None, str | None]
Path = tuple[tuple[str, str], ...]


class ExprEval:
    """State of one interpretation plus expression handling (statements are in a subclass)."""

    def __init__(
        self,
        ctx: Context,
        builder: Builder,
        frame: Frame,
        *,
        where: Where = (None, None, None),
        path: Path = (),
        stack: tuple[str, ...] = (),
    ) -> None:
        self.ctx = ctx
        self.b = builder
        self.frame = frame
        self.where = where
        self.path = path
        self.stack = (*stack, frame.key)
        self.barrier: list[str] = []
        # the last side-effect statements (``print``, ``assert``...): what runs next in program
        # order (side effects, awaited calls, containers) starts after them
        self.effects: list[str] = []
        # glue without side effects since the last side effect: it may raise, and then Python
        # never reaches the next side effect, so that one starts after it (same block only)
        self.glue_since: list[str] = []
        self.returns: list[tuple[Path, Value, Span]] = []
        self.terminated = False
        self.futures: list[str] = []
        self.unawaited: set[str] = set()
        self.in_loop = False
        self.collect: dict[str, list[w.Binding]] | None = None
        self.collect_pending: set[str] = set()
        # the pending values appended to each collection of the current loop, in order
        self.collect_values: dict[str, list[Value]] = {}
        self.lambdas: set[str] = set()  # locals bound to lambdas (calling them is glue)
        # locals bound to a ContainerTask of literal arguments (calling one is awaited glue)
        self.container_tasks: set[str] = set()
        self.defined: set[str] = set()  # functions defined in the body by glue (no tasks)
        self.partials: dict[str, ir.Call] = {}  # locals bound to functools.partial(task, ...)
        self.reducers: dict[str, str] = {}  # loop variables folded with ``+=`` and friends
        # env just before the first task call of each enclosing try body (what handlers see)
        self.try_snapshots: list[dict[str, Value] | None] = []
        # ``with flyte.custom_context(k=v)`` around what is interpreted now: key -> value
        self.custom: dict[str, w.Binding] = {}

    # ---------------------------------------------------------------------- helpers

    @property
    def env(self) -> dict[str, Value]:
        return self.frame.env

    def add(self, base: str, kind: str, span: Span, **fields: Any) -> w.WNode:
        if kind in TASK_NODE_KINDS:
            for i, snap in enumerate(self.try_snapshots):
                if snap is None:
                    self.try_snapshots[i] = dict(self.env)
        node = self.b.add(base, kind, span, self.where, **fields)
        if self.custom and kind not in CONTEXT_AT_START:
            node.attrs["context"] = dict(self.custom)
        if kind in CODE_KINDS and self.frame.module != self.stack[0].partition(":")[0]:
            # code of a helper of another module: it runs in that module's namespace
            node.attrs["module"] = self.frame.module
        return node

    def started(self, nid: str) -> None:
        """Call ``nid`` starts here (it is awaited, scheduled, or a sync call): it sees the
        custom context of this place, as a coroutine submits its action when awaited. The
        calls of a fan-out of coroutines start with it."""
        if not self.custom:
            return
        n = self.b.by_id[nid]
        if n.kind in CONTEXT_AT_START:
            before = {k: v for k, v in n.attrs.get("context", {}).items()
                      if k not in self.custom}
            n.attrs["context"] = {**before, **self.custom}
        elif n.kind == w.FANOUT:
            for m in self.b.nodes:
                if m.kind in CONTEXT_AT_START and self._inside(m, nid):
                    m.attrs["context"] = {**m.attrs.get("context", {}), **self.custom}

    def _inside(self, n: w.WNode, container: str) -> bool:
        parent = n.parent
        while parent is not None:
            if parent == container:
                return True
            p = self.b.by_id.get(parent)
            parent = p.parent if p is not None else None
        return False

    def order_after(self, nid: str) -> None:
        """``nid`` starts after the current barrier and the preceding side effects."""
        n = self.b.by_id[nid]
        for a in (*self.barrier, *self.effects):
            if a != nid and a not in n.after:
                n.after.append(a)

    def sequence(self, node_ids: list[str]) -> None:
        """``node_ids`` start after the current barrier (and side effects) and become the new
        barrier."""
        for nid in node_ids:
            self.order_after(nid)
            self.unawaited.discard(nid)
            self.started(nid)
        if node_ids:
            self.barrier = list(node_ids)

    def join(self, node_ids: list[str]) -> None:
        """Wait for already-started nodes: later nodes start after them too."""
        for nid in node_ids:
            self.unawaited.discard(nid)
            if nid not in self.barrier:
                self.barrier.append(nid)

    def external(self, f: ir.Expr) -> str | None:
        return self.ctx.resolver.external_name(self.frame.module, f, self.frame.locals)

    def text(self, e: ir.Expr, replace_: list[tuple[Span, str]] | None = None) -> str:
        return expr_text(self.frame.src, e, replace_)

    def depends_on_task(self, b: w.Binding, _seen: set[str] | None = None) -> str | None:
        """The task-like step a binding's value comes from (through glue), if any, as the
        user wrote it (:func:`describe`)."""
        if b.source != w.NODE or b.node is None:
            return None
        seen = _seen if _seen is not None else set()
        if b.node in seen:
            return None
        seen.add(b.node)
        n = self.b.by_id.get(b.node)
        if n is None:
            return None
        if n.kind in TASK_NODE_KINDS or n.kind == w.FANOUT or n.kind == w.LOOP:
            return describe(n)
        for x in [*n.inputs.values(), *(c.source for cs in n.cases.values() for c in cs)]:
            hit = self.depends_on_task(x, seen)
            if hit is not None:
                return hit
        return None

    # ------------------------------------------------------------------- interesting

    def interesting(self, e: ir.Expr) -> bool:
        """Whether evaluating ``e`` involves tasks, traces, maps or tracked coroutines."""
        inner = bound_inside(e)
        for x in ir.walk_expr(e):
            if isinstance(x, ir.Name) and x.id not in inner:
                v = self.env.get(x.id)
                if v is not None and not isinstance(v, (Val, Opaque)):
                    return True
            elif isinstance(x, ir.Call):
                if self.callee(x.func) is not None:
                    return True
                ext = self.external(x.func)
                if ext is not None and (ext in MAPS or ext == GATHER or ext in SCHEDULE):
                    return True
                if ext in REFLECTION and ext != "builtins.getattr":
                    return True
                if isinstance(x.func, ir.Attribute) and x.func.attr in ("create_task", "result"):
                    base = x.func.value
                    if isinstance(base, ir.Name) and isinstance(
                        self.env.get(base.id), (Opaque, Future)
                    ):
                        return True
                if isinstance(x.func, ir.Call) and self.external(x.func.func) in REFLECTION:
                    return True
                if isinstance(x.func, ir.Subscript):
                    return True
                if isinstance(x.func, ir.Name) and isinstance(self.env.get(x.func.id), Val) \
                        and x.func.id not in self.lambdas and x.func.id not in self.container_tasks:
                    return True
        return False

    def workflow_operation(self, e: ir.Expr) -> bool:
        """Whether ``e`` (a statement's expression) is itself a step of the workflow: a call of
        a task, trace, map or helper, a gather or create_task, or an await of one, so that
        evaluating it leaves nothing for glue code to do."""
        if isinstance(e, ir.Await):
            e = e.value
            if isinstance(e, ir.Name):
                return not isinstance(self.env.get(e.id), (Val, Opaque, type(None)))
        if not isinstance(e, ir.Call):
            return False
        ext = self.external(e.func) if isinstance(e.func, (ir.Name, ir.Attribute)) else None
        if ext in (GATHER, *SCHEDULE, *PASS_THROUGH, *MAPS):
            return True
        if isinstance(e.func, ir.Attribute) and isinstance(e.func.value, ir.Name):
            base = self.env.get(e.func.value.id)
            if e.func.attr == "create_task" and isinstance(base, Opaque) and (
                base.what == "taskgroup"
            ):
                return True
            if e.func.attr == "result" and isinstance(base, Future):
                return True
        return self.callee(e.func) is not None

    def callee(self, f: ir.Expr) -> Callee | None:
        c = resolve_callee(self.ctx, self.frame, f)
        if c is not None:
            if c.kind == "helper" and (c.key is None or not self.ctx.calls_tasks(c.key)):
                return None
            return c
        if isinstance(f, ir.Call) and isinstance(f.func, ir.Attribute) and (
            f.func.attr == "override"
        ):
            inner = self.callee(f.func.value)
            if inner is not None and inner.kind in ("task", "remote"):
                over, inputs = self.override_args(f)
                return replace(inner, via=(*inner.via, "override"), override=over,
                               override_inputs=inputs)
        return None

    def override_args(
        self, call: ir.Call
    ) -> tuple[tuple[tuple[str, Any], ...], tuple[tuple[str, w.Binding], ...]]:
        over: list[tuple[str, Any]] = []
        inputs: list[tuple[str, w.Binding]] = []
        for a in call.args:
            if not a.keyword:
                continue
            v = self.static_value(a.value)
            over.append((a.keyword, v))
        return tuple(over), tuple(inputs)

    def static_value(self, e: ir.Expr) -> Any:
        """JSON of a statically known value; local constants are substituted."""
        folded = self.fold(e)
        if folded is not _NO:
            return folded
        if isinstance(e, ir.Call):
            func = self.ctx.evaluator.eval(self.frame.module, e.func)
            name = getattr(func, "key", None) or unparse(e.func)
            out: dict[str, Any] = {"call": name}
            args = [self.static_value(a.value) for a in e.args if not a.keyword]
            if args:
                out["args"] = args
            kwargs = {a.keyword: self.static_value(a.value) for a in e.args if a.keyword}
            if kwargs:
                out["kwargs"] = kwargs
            return out
        free = [n for n in _names(e) if n in self.env]
        if not free:
            return to_jsonable(self.ctx.evaluator.eval(self.frame.module, e))
        return {"dynamic": unparse(e)}

    def fold(self, e: ir.Expr) -> Any:
        """Constant-fold ``e`` over literal values and local constants; ``_NO`` when not."""
        if isinstance(e, ir.Const):
            if e.kind in ("str", "int", "float", "bool", "none"):
                return e.value
            return _NO
        if isinstance(e, ir.Name):
            v = self.env.get(e.id)
            if isinstance(v, Val):
                if v.binding.source == w.CONST and not v.binding.index:
                    return v.binding.value
                return _NO
            if v is not None or e.id in self.frame.locals:
                return _NO
            if self.ctx.is_module_state(self.frame.module, e, self.frame.locals):
                return _NO  # changed by the program's functions: only known at run time
            s = self.ctx.evaluator.eval(self.frame.module, e)
            j = jsonable_static(s)
            return j if j is not None or s is None else _NO
        if isinstance(e, ir.Seq) and e.kind in ("list", "tuple"):
            items = [self.fold(x) for x in e.elts]
            return _NO if any(i is _NO for i in items) else items
        if isinstance(e, ir.DictExpr):
            out: dict[str, Any] = {}
            for k, x in zip(e.keys, e.values):
                fk = self.fold(k) if k is not None else _NO
                fv = self.fold(x)
                if not isinstance(fk, str) or fv is _NO:
                    return _NO
                out[fk] = fv
            return out
        if isinstance(e, ir.UnaryOp) and e.op in ("-", "not"):
            x = self.fold(e.operand)
            if e.op == "-" and isinstance(x, (int, float)) and not isinstance(x, bool):
                return -x
            if e.op == "not" and isinstance(x, (bool, int, str, type(None))):
                return not x
            return _NO
        if isinstance(e, ir.BinOp):
            left, right = self.fold(e.left), self.fold(e.right)
            if left is _NO or right is _NO:
                return _NO
            return _binop(e.op, left, right)
        return _NO

    # ------------------------------------------------------------------- bindings

    def bind(self, v: Value, span: Span) -> w.Binding:
        if isinstance(v, Val):
            return v.binding
        if isinstance(v, (Pending, Future, CoroList, Awaitable)):
            return self.bind(v.result, span)
        if isinstance(v, MapGen):
            return w.node_binding(v.node)
        if isinstance(v, TupleV):
            items = [self.bind(x, span) for x in v.items]
            if all(b.source == w.CONST for b in items):
                return w.const_binding([b.value for b in items])
            names = [f"_{i}" for i in range(len(items))]
            inner = ", ".join(names) + ("," if len(names) == 1 and v.kind == "tuple" else "")
            code = f"[{inner}]" if v.kind == "list" else f"({inner})"
            n = self.add("pack", w.GLUE, span, inputs=dict(zip(names, items)), outputs=["o0"],
                         attrs={"code": code, "mode": "eval"})
            return w.node_binding(n.id)
        if isinstance(v, CallableV):
            c = v.callee
            what = {"task": "task", "trace": "traced function", "remote": "remote task"}.get(
                c.kind, "function")
            self.b.reason(span, f"uses {what} `{c.fqn or _short(c.key)}` as a value (passed, "
                                "stored or inspected, not called): a plan's values are data, "
                                "so what it does with it is only known at run time")
            return w.const_binding({"callable": c.fqn or c.key})
        if v.reason:
            self.b.reason(span, v.reason)
        return w.const_binding(None)

    # ----------------------------------------------------------------- expressions

    def ev(self, e: ir.Expr, hint: str | None = None) -> Value:
        if isinstance(e, ir.Const):
            folded = self.fold(e)
            if folded is not _NO:
                return Val(w.const_binding(folded))
            return self.glue(e, hint)
        if isinstance(e, ir.Name):
            v = self.env.get(e.id)
            if v is not None:
                if isinstance(v, Opaque) and v.reason:
                    self.b.reason(e.span, v.reason)
                return v
            c = self.callee(e)
            if c is not None:
                return CallableV(c)
            return self.glue(e, hint)
        if isinstance(e, ir.Await):
            return self.await_(self.ev(e.value, hint), e)
        if isinstance(e, ir.Call):
            return self.call(e, hint)
        if isinstance(e, ir.Comp):
            return self.comp(e, hint)
        if isinstance(e, ir.Starred):
            return self.ev(e.value, hint)
        if isinstance(e, ir.Attribute):
            c = self.callee(e)
            if c is not None:
                return CallableV(c)
        if isinstance(e, ir.Subscript):
            idx = self.fold(e.index)
            if isinstance(idx, (int, str)) and not isinstance(idx, bool) and self.interesting(
                e.value
            ) or (isinstance(idx, (int, str)) and isinstance(e.value, ir.Name)
                  and isinstance(self.env.get(e.value.id), Val)):
                base = self.ev(e.value, hint)
                if isinstance(base, (Pending, Future, Awaitable)):
                    base = base.result
                if isinstance(base, TupleV) and isinstance(idx, int) and -len(
                    base.items) <= idx < len(base.items):
                    return base.items[idx]
                if isinstance(base, Val) and base.binding.source in (w.NODE, w.INPUT, w.ITEM):
                    return Val(base.binding.with_index(idx))
        if isinstance(e, ir.Seq) and e.kind in ("list", "tuple") and self.interesting(e):
            parts = [(self.ev(x), isinstance(x, ir.Starred)) for x in e.elts]
            if all(isinstance(v, TupleV) for v, star in parts if star):
                items: list[Value] = []
                for v, star in parts:
                    items.extend(v.items if star and isinstance(v, TupleV) else [v])
                return TupleV(tuple(items), e.kind)
            # `[a, *xs]` with `xs` not known item by item: glue unpacks it
            inputs = {f"_{i}": self.bind(self.escaping(v, x), x.span)
                      for i, ((v, _), x) in enumerate(zip(parts, e.elts))}
            names = [f"*_{i}" if star else f"_{i}" for i, (_, star) in enumerate(parts)]
            inner = ", ".join(names) + ("," if len(names) == 1 and e.kind == "tuple" else "")
            code = f"[{inner}]" if e.kind == "list" else f"({inner})"
            n = self.add("pack", w.GLUE, e.span, inputs=inputs, outputs=["o0"],
                         attrs={"code": code, "mode": "eval"})
            return Val(w.node_binding(n.id))
        if isinstance(e, ir.IfExp) and self.interesting(e):
            return self.if_expr(e, hint)
        return self.glue(e, hint)

    def adopt(self, nid: str) -> None:
        """A call created but not started (a coroutine, a list of them) is awaited here, in
        an arm or a body nested in the place it was created: it runs (in Python as in the
        plan) only when this place runs, so it becomes a member of it. (Its arguments were
        evaluated where it was created; they stay there.)"""
        n = self.b.by_id.get(nid)
        if n is None or (n.parent, n.arm) == (self.where[0], self.where[1]):
            return
        parent: str | None = self.where[0]
        arm = self.where[1]
        while parent is not None:
            if (parent, arm) == (n.parent, n.arm):
                break
            p = self.b.by_id.get(parent)
            if p is None or p.kind not in (w.BRANCH, w.TRY):
                return  # in a loop it would run once per iteration
            parent, arm = p.parent, p.arm
        else:
            if n.parent is not None:
                return  # awaited outside the place it was created in
        n.parent, n.arm = self.where[0], self.where[1]

    def await_(self, v: Value, e: ir.Expr) -> Value:
        if isinstance(v, Pending):
            self.adopt(v.node)
            self.sequence([v.node])
            return v.result
        if isinstance(v, Future):
            self.join([v.node])
            return v.result
        if isinstance(v, CoroList):
            if v.scheduled:
                self.join([v.node])
            else:
                self.adopt(v.node)
                self.sequence([v.node])
            return v.result
        if isinstance(v, Awaitable):
            started = [n for n in v.nodes if n not in v.joined]
            for nid in started:
                self.adopt(nid)
            if started:
                self.sequence(started)
            if v.joined:
                self.join(list(v.joined))
            return v.result
        if isinstance(v, Val) and v.binding.source == w.NODE and v.binding.node:
            n = self.b.by_id.get(v.binding.node)
            if n is not None and n.kind == w.GLUE:
                n.attrs["await"] = True
        return v

    # ---------------------------------------------------------------------- glue

    def glue(
        self,
        e: ir.Expr,
        hint: str | None,
        *,
        base: str | None = None,
        code_of: Callable[[list[tuple[Span, str]]], str] | None = None,
    ) -> Value:
        """A small in-process computation; interesting sub-expressions become inputs."""
        folded = self.fold(e)
        if folded is not _NO:
            return Val(w.const_binding(folded))
        subs = self._interesting_subs(e)
        replace_: list[tuple[Span, str]] = []
        inputs: dict[str, w.Binding] = {}
        for i, x in enumerate(subs):
            name = f"_{i}"
            inputs[name] = self.bind(self.escaping(self.ev(x), x), x.span)
            replace_.append((x.span, name))
        skip = {id(x) for x in subs}
        for name in _names(e, skip):
            if name in inputs:
                continue
            v = self.env.get(name)
            if v is not None:
                self.check_handles(name, v, [e], skip)
                if isinstance(v, Opaque) and v.reason:
                    self.b.reason(e.span, v.reason)
                if isinstance(v, Opaque) and v.what == "lambda":
                    inputs[name] = w.const_binding(None)
                    continue
                inputs[name] = self.bind(v, e.span)
        self.check_glue_calls([e])
        code = code_of(replace_) if code_of is not None else self.text(e, replace_)
        for x in ir.walk_expr(e):
            if isinstance(x, ir.Call):
                ext = self.external(x.func)
                if ext in REFLECTION:
                    self.b.reason(x.span, f"uses {REFLECTION[ext]}: what it reaches is only "
                                          "known at run time")
        n = self.add(base or (f"glue-{hint}" if hint else "glue"), w.GLUE, e.span,
                     inputs=inputs, outputs=["o0"], attrs={"code": code, "mode": "eval"})
        if self.expr_effect(e, skip):
            # `y = record(x)`: the call happens even when nothing reads `y`, in program order
            self.as_effect(n)
        elif self.reads_state([e], skip):
            self.in_program_order(n.id)
        else:
            self.glue_since.append(n.id)
        if isinstance(e, ir.Comp):
            length = self.comp_length(e)
            if length:
                n.attrs["length"] = length
        return Val(w.node_binding(n.id))

    def reads_state(self, exprs: list[ir.Expr], skip: set[int]) -> bool:
        """Whether the glue code ``exprs`` (but the sub-expressions in ``skip``) reads a
        module global that the program's functions change (:meth:`Context.module_state`)."""
        stack = list(exprs)
        while stack:
            x = stack.pop()
            if id(x) in skip:
                continue
            if self.ctx.is_module_state(self.frame.module, x, self.frame.locals):
                return True
            stack.extend(ir.iter_child_exprs(x))
        return False

    def in_program_order(self, nid: str) -> None:
        """Glue that reads shared module state: it runs after what the body did before it,
        and what the body does next (side effects, awaited calls) runs after it."""
        self.order_after(nid)
        self._after_glue(self.b.by_id[nid])
        self.effects = [*self.effects, nid]

    def as_effect(self, n: w.WNode) -> None:
        """Glue with a side effect (``print``, ``assert``, a call...): kept even when nothing
        reads it, run in program order with the other side effects and the awaited calls,
        and after the glue before it in its block (which may raise first)."""
        n.attrs["effect"] = True
        self.order_after(n.id)
        self._after_glue(n)
        self.effects = [n.id]

    def _after_glue(self, n: w.WNode) -> None:
        rest = []
        for g in self.glue_since:
            if self.b.by_id[g].parent != n.parent:
                rest.append(g)
            elif g != n.id and g not in n.after:
                n.after.append(g)
        self.glue_since = rest

    def escaping(self, v: Value, x: ir.Expr) -> Value:
        """``v``, the value of ``x``, given to glue code: a coroutine or a ``create_task``
        handle there is not a result (glue would get the call's result in its place)."""
        if holds_calls(v) and isinstance(x, ir.Name):
            self.check_handles(x.id, v, [x])
        elif holds_calls(v):
            self.b.reason(x.span, f"`{_clip(self.text(x))}` is a call that is not awaited "
                                  "here: its coroutine (or create_task handle) is used as a "
                                  "value, so when it runs and what is done with it is only "
                                  "known at run time")
        return v

    def check_handles(
        self, name: str, v: Value, exprs: list[ir.Expr], skip: set[int] | None = None
    ) -> None:
        """Glue reading ``name``, which holds coroutines or ``create_task`` handles: only
        their number (``len(name)``) is known without running them; any other use (awaiting
        them one by one in glue, ``.cancel()``, ``.done()``, storing them) is not."""
        if not holds_calls(v):
            return
        if all(_only_counted(e, name, skip or set()) for e in exprs):
            return
        self.b.reason(exprs[0].span, f"`{name}` holds task calls (coroutines or create_task "
                                     "handles) that are used for more than awaiting them: "
                                     "what that does is only known at run time")

    def expr_effect(self, e: ir.Expr, skip: set[int]) -> bool:
        """Whether evaluating ``e`` (but its task calls, ids in ``skip``) may be seen outside
        the task's locals: it awaits, or calls a project function (not a class), or a
        function of a module that is not known to only compute a value. Methods of local
        values and constructors compute values."""
        if id(e) in skip:
            return False
        if isinstance(e, (ir.Await, ir.Yield)):
            return True
        if isinstance(e, ir.Call) and self._call_effect(e.func):
            return True
        return any(self.expr_effect(c, skip) for c in ir.iter_child_exprs(e))

    def _call_effect(self, f: ir.Expr) -> bool:
        root = f
        while isinstance(root, (ir.Attribute, ir.Subscript, ir.Call)):
            root = root.func if isinstance(root, ir.Call) else root.value
        if isinstance(root, ir.Const) or isinstance(root, ir.Name) and (
            root.id in self.frame.locals and root is not f
        ):
            return False  # `", ".join(xs)`, `name.upper()`: a method of a value
        if isinstance(f, ir.Name) and f.id in self.frame.locals:
            return f.id not in self.lambdas and f.id not in self.partials
        r = self.ctx.resolver.resolve(self.frame.module, f, self.frame.locals)
        if r is None:
            return True
        if r.kind == "external":
            return not pure_external(r.dotted)
        if r.kind == "symbol" and not r.rest:
            mod, _, name = r.key.partition(":")
            return self.ctx.resolver.symbols(mod).defs.get(name) != "class"
        return True

    def check_glue_calls(self, exprs: list[ir.Expr]) -> None:
        """Glue code calling a function held in a local variable or a container
        (``ops[name](x)``, ``for fn in ops.values(): await fn(x)``): it may be a task, and
        a task called inside glue is not a step of the plan."""
        for e in exprs:
            for x in ir.walk_expr(e):
                if not isinstance(x, ir.Call):
                    continue
                f = x.func
                if isinstance(f, ir.Subscript):
                    self.b.reason(x.span, f"calls `{_clip(unparse(f))}(...)` through a "
                                          "container: which function (maybe a task) runs is "
                                          "only known at run time")
                elif isinstance(f, ir.Name) and self._unknown_local_callable(f.id):
                    self.b.reason(x.span, f"calls `{f.id}(...)`, a value flytec cannot "
                                          "resolve statically (it may be a task)")

    def _unknown_local_callable(self, name: str) -> bool:
        if name not in self.frame.locals or name in self.lambdas or name in self.partials:
            return False
        if name in self.container_tasks:
            return False  # a ContainerTask: called as a module-level one is
        if name in self.defined and isinstance(self.env.get(name), Val):
            return False  # a `def` of the body run by glue: calling it is glue
        if self.frame.fn.param(name) is not None or name in _imported(self.frame.fn):
            return False
        v = self.env.get(name)
        if isinstance(v, CallableV) or isinstance(v, Opaque) and v.what == "lambda":
            return False
        return True

    def _interesting_subs(self, e: ir.Expr) -> list[ir.Expr]:
        out: list[ir.Expr] = []
        inner = bound_inside(e)

        def visit(x: ir.Expr, top: bool) -> None:
            if not top and not isinstance(x, (ir.Name, ir.Lambda, ir.Comp)) and (
                self.interesting(x) and not (set(_names(x)) & inner)
            ):
                # take the smallest enclosing await/call, not every sub-part
                if isinstance(x, (ir.Await, ir.Call, ir.Subscript, ir.IfExp)):
                    out.append(x)
                    return
            for c in ir.iter_child_exprs(x):
                visit(c, False)

        visit(e, True)
        return out

    # --------------------------------------------------------------------- calls

    def call(self, e: ir.Call, hint: str | None) -> Value:
        ext = None
        if isinstance(e.func, (ir.Name, ir.Attribute)):
            ext = self.external(e.func)
        if ext == GATHER:
            if not any(self.interesting(a.value) for a in e.args):
                return self.glue(e, hint)  # in-process coroutines only
            return self.gather(e)
        if ext in SCHEDULE and e.positional:
            return self.schedule(e.positional[0])
        if ext in PASS_THROUGH and e.positional:
            return self.ev(e.positional[0], hint)
        if ext in MAPS:
            return self.map_(e, ext.endswith(".aio"), hint)
        if ext == "builtins.len" and len(e.args) == 1 and not e.args[0].star and (
            not e.args[0].keyword and isinstance(e.args[0].value, ir.Name)
        ):
            pending = self.env.get(e.args[0].value.id)
            if isinstance(pending, CoroList) and pending.count is not None:
                # the number of pending calls, not their results: nothing to wait for
                n = self.add(f"glue-{hint}" if hint else "glue", w.GLUE, e.span,
                             inputs={"_0": pending.count}, outputs=["o0"],
                             attrs={"code": "len(_0)", "mode": "eval"})
                return Val(w.node_binding(n.id))
        if ext == "asyncio.TaskGroup":
            return Opaque("taskgroup")
        if ext in SEMAPHORES and hint is not None and len(e.args) <= 1 and (
            not e.args or e.positional
        ) and self.ctx.only_bounds(self.frame.fn, hint):
            # used only by `async with`: what it does is bound the concurrency of the
            # fan-out its `async with` is in (statements.Interpreter.with_)
            arg = e.positional[0] if e.positional else None
            limit = self.fold(arg) if arg is not None else 1
            if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
                return Opaque("semaphore", SEMAPHORE_USED, extra={"limit": limit})
            if arg is not None and limit is _NO and not self.interesting(arg):
                return Opaque("semaphore", SEMAPHORE_USED, extra={
                    "limit": {"dynamic": self.text(arg)},
                    "binding": self.bind(self.ev(arg, "concurrency"), arg.span)})
        if ext == "flyte.remote.Task.get":
            arg = e.positional[0] if e.positional else e.keyword("name")
            name = self.fold(arg) if arg is not None else _NO
            rn = name if isinstance(name, str) else "?"
            return CallableV(Callee("remote", None, rn, remote_name=rn))
        if ext in ("builtins.list", "builtins.tuple") and len(e.args) == 1 and (
            self.interesting(e.positional[0] if e.positional else e)
        ):
            inner = self.ev(e.args[0].value, hint)
            if isinstance(inner, MapGen):
                return Val(w.node_binding(inner.node))
            if isinstance(inner, (Pending, Future, CoroList, Awaitable)):
                inner = self.await_(inner, e)
            fname = ext.rpartition(".")[2]
            n = self.add(f"glue-{hint}" if hint else "glue", w.GLUE, e.span,
                         inputs={"_0": self.bind(inner, e.span)}, outputs=["o0"],
                         attrs={"code": f"{fname}(_0)", "mode": "eval"})
            return Val(w.node_binding(n.id))
        if isinstance(e.func, ir.Attribute) and isinstance(e.func.value, ir.Name):
            base = self.env.get(e.func.value.id)
            if e.func.attr == "create_task" and isinstance(base, Opaque) and (
                base.what == "taskgroup") and e.positional:
                return self.schedule(e.positional[0])
            if e.func.attr == "result" and isinstance(base, Future):
                self.join([base.node])
                return base.result
        if isinstance(e.func, ir.Attribute) and e.func.attr == "override":
            c = self.callee(e)
            if c is not None:
                return CallableV(c)
        c = self.callee(e.func)
        if c is not None:
            if c.kind == "helper":
                return self.inline(c, e, hint)
            return self.task_call(c, e)
        self.check_unknown_callable(e)
        return self.glue(e, hint)

    def check_unknown_callable(self, e: ir.Call) -> None:
        f = e.func
        if isinstance(f, ir.Call) and self.external(f.func) == "builtins.getattr":
            self.b.reason(e.span, f"calls `{unparse(f)}`: a function looked up by name with "
                                  "getattr() is only known at run time")
        elif isinstance(f, ir.Subscript):
            self.b.reason(e.span, f"calls `{unparse(f)}(...)` through a container: which "
                                  "function (maybe a task) runs is only known at run time")
        elif isinstance(f, ir.Name) and isinstance(self.env.get(f.id), Val) and (
            f.id not in self.lambdas and f.id not in self.defined
            and f.id not in self.container_tasks
        ):
            self.b.reason(e.span, f"calls `{f.id}(...)`, a value flytec cannot resolve "
                                  "statically (it may be a task)")

    def args_to_inputs(self, c: Callee, args: list[ir.Arg], span: Span) -> dict[str, w.Binding]:
        params = self.callee_params(c)
        inputs: dict[str, w.Binding] = {}
        i = 0
        for a in args:
            if a.star:
                self.b.reason(span, f"arguments unpacked with `{a.star}` in a call of "
                                    f"`{c.fqn or c.key}`: which inputs it binds is only "
                                    "known at run time")
                inputs[f"{a.star}{unparse(a.value)}"] = self.bind(self.ev(a.value), span)
                continue
            if a.keyword is None:
                name = params[i] if i < len(params) else f"arg{i}"
                i += 1
            else:
                name = a.keyword
            inputs[name] = self.bind(self.escaping(self.ev(a.value, name), a.value), span)
        return inputs

    def callee_params(self, c: Callee) -> list[str]:
        if c.key is None:
            return []
        f = self.ctx.program.functions.get(c.key)
        if f is None:
            return []
        return [p.name for p in f.function.params if p.kind in ("posonly", "normal")]

    def callee_outputs(self, c: Callee) -> int:
        if c.key is None:
            return 1
        f = self.ctx.program.functions.get(c.key)
        if f is None:
            return 1
        return output_count(f.function) if c.kind == "task" else 1

    def task_call(self, c: Callee, e: ir.Call) -> Value:
        inputs = self.args_to_inputs(c, e.args, e.span)
        kind = {"task": w.TASK, "trace": w.TRACE, "remote": w.REMOTE}[c.kind]
        name = (c.key or "").rpartition(":")[2].rpartition(".")[2] if c.key else (
            (c.remote_name or "remote").rpartition(".")[2])
        attrs: dict[str, Any] = {}
        if c.override:
            attrs["override"] = {k: v for k, v in c.override}
        if "forward" in c.via:
            attrs["forward"] = True
        if "aio" in c.via:
            attrs["aio"] = True
        if c.key == self.stack[0] or (c.key is not None and c.key in self.stack):
            self.b.reason(e.span, f"recursion: `{name}` calls itself, so the depth of the "
                                  "workflow is only known at run time")
        f = self.ctx.program.functions.get(c.key) if c.key else None
        if c.kind == "trace" and f is not None and f.function.is_generator:
            self.b.reason(e.span, f"`{name}` is a traced generator: it yields its items while "
                                  "the body iterates it, which a plan node (one call, one "
                                  "value) cannot do")
        n_out = self.callee_outputs(c)
        outputs = [f"o{i}" for i in range(n_out)]
        node = self.add(name, kind, e.span, task=c.fqn if kind != w.TRACE else None,
                        task_key=c.key, inputs=inputs, outputs=outputs, attrs=attrs)
        result: Value
        if n_out == 0:
            result = Val(w.const_binding(None))
        elif n_out == 1:
            result = Val(w.node_binding(node.id))
        else:
            result = TupleV(tuple(Val(w.node_binding(node.id, o)) for o in outputs))
        is_async = c.is_async and "forward" not in c.via or "aio" in c.via
        if not is_async:
            self.sequence([node.id])
            return result
        self.unawaited.add(node.id)
        return Pending(node.id, result)

    def schedule(self, coro: ir.Expr) -> Value:
        v = self.ev(coro)
        if isinstance(v, (Pending, Awaitable)):
            nodes = [v.node] if isinstance(v, Pending) else list(v.nodes)
            for nid in nodes:
                self.order_after(nid)
                self.unawaited.discard(nid)
                self.futures.append(nid)
                self.started(nid)
            if isinstance(v, Pending):
                return Future(v.node, v.result)
            return v
        return v

    def gather(self, e: ir.Call) -> Value:
        pos = [a for a in e.args if a.keyword is None]
        rex = e.keyword("return_exceptions")
        if len(pos) == 1 and pos[0].star == "*":
            v = self.ev(pos[0].value)
            if isinstance(v, CoroList):
                if rex is not None:
                    self.b.by_id[v.node].attrs["return_exceptions"] = self.static_value(rex)
                if not v.scheduled:
                    self._started_in_group(v.node)
                return Awaitable(v.result, (v.node,), (v.node,) if v.scheduled else ())
            if isinstance(v, TupleV):
                return self._gather_items(list(v.items), "list")
            if isinstance(v, Val):  # a list built by glue: it holds no task calls
                return self.glue(e, None)
            self.b.reason(e.span, "asyncio.gather over a collection of coroutines flytec "
                                  "cannot follow: its calls are only known at run time")
            return Awaitable(Val(self.bind(v, e.span)))
        items: list[Value] = []
        for a in pos:
            v = self.ev(a.value)
            if a.star and isinstance(v, TupleV):
                items.extend(v.items)
            elif a.star:
                self.b.reason(e.span, "asyncio.gather over a collection of coroutines flytec "
                                      "cannot follow: its calls are only known at run time")
            else:
                items.append(v)
        return self._gather_items(items, "list")

    def _started_in_group(self, nid: str) -> None:
        """Coroutines made outside a ``flyte.group`` start where they are gathered: in
        Python their calls see the group of the gather, so the fan-out (and what is in it)
        is in that group."""
        group = self.where[2]
        n = self.b.by_id[nid]
        if group is None or n.group is not None:
            return
        inside = {nid}
        for m in self.b.nodes:
            if m.id in inside or m.parent in inside:
                inside.add(m.id)
                if m.group is None:
                    m.group = group

    def _gather_items(self, items: list[Value], kind: str) -> Value:
        results: list[Value] = []
        nodes: list[str] = []
        joined: list[str] = []
        for v in items:
            if isinstance(v, (Pending, Future, CoroList)):
                nodes.append(v.node)
                results.append(v.result)
                if isinstance(v, Future) or isinstance(v, CoroList) and v.scheduled:
                    joined.append(v.node)  # already running: the gather waits for it
            elif isinstance(v, Awaitable):
                nodes.extend(v.nodes)
                joined.extend(v.joined)
                results.append(v.result)
            else:
                results.append(v)
        return Awaitable(TupleV(tuple(results), kind), tuple(nodes), tuple(joined))

    def map_(self, e: ir.Call, is_async: bool, hint: str | None) -> Value:
        pos = e.positional
        if not pos:
            return self.glue(e, hint)
        fn_arg = pos[0]
        partial: ir.Call | None = None
        if isinstance(fn_arg, ir.Name) and fn_arg.id in self.partials:
            fn_arg = self.partials[fn_arg.id]
        if isinstance(fn_arg, ir.Call) and self.external(fn_arg.func) == "functools.partial":
            partial = fn_arg
            fn_arg = fn_arg.positional[0] if fn_arg.positional else fn_arg
        c = self.callee(fn_arg)
        if c is None or c.kind not in ("task", "remote"):
            self.b.reason(e.span, f"flyte.map over `{unparse(fn_arg)}`, which flytec cannot "
                                  "resolve to a task")
            return self.glue(e, hint)
        starred = next((a for a in e.args if a.star), None)
        if starred is not None:
            # `**map_kwargs` may set concurrency, return_exceptions or group_name, and
            # `*iterables` how many iterables are zipped: only known at run time
            self.b.reason(starred.value.span, f"flyte.map with `{starred.star}"
                                              f"{_clip(unparse(starred.value))}`: the "
                                              "arguments it unpacks are only known at run "
                                              "time")
            return self.glue(e, hint)
        params = self.callee_params(c)
        bound: dict[str, w.Binding] = {}
        if partial is not None:
            extra = partial.positional[1:]
            for i, x in enumerate(extra):
                name = params[i] if i < len(params) else f"arg{i}"
                bound[name] = self.bind(self.ev(x, name), x.span)
            for a in partial.args:
                if a.keyword:
                    bound[a.keyword] = self.bind(self.ev(a.value, a.keyword), a.value.span)
        iterables = pos[1:]
        # Python binds the partial's positional arguments first, then the items by position:
        # an item landing on a parameter the partial binds by keyword is a TypeError
        skipped = len(partial.positional) - 1 if partial is not None else 0
        free = params[skipped:]
        clash = [p for p in free[: len(iterables)] if p in bound]
        if clash:
            self.b.reason(e.span, f"flyte.map passes its items by position to `{clash[0]}`, "
                                  "which the functools.partial already binds by keyword: "
                                  "Python raises TypeError for that call, so the body runs")
            return self.glue(e, hint)
        if partial is not None and iterables:
            wrong = self.partial_mismatch(c, partial)
            if wrong is not None:
                self.b.reason(partial.span, f"{wrong}: the SDK raises TypeError for this "
                                            "flyte.map, so the body runs")
                return self.glue(e, hint)
        free = [p for p in free if p not in bound]
        over = [self.bind(self.ev(x), x.span) for x in iterables]
        attrs: dict[str, Any] = {
            "over": over,
            "item_inputs": free[: len(iterables)],
            "cardinality": " min ".join(self.cardinality(x) for x in iterables)
            if len(iterables) == 1 else
            "min(" + ", ".join(self.cardinality(x) for x in iterables) + ")",
            "return_exceptions": True,
            "aio": is_async,
        }
        for a in e.args:
            if a.keyword in ("concurrency", "return_exceptions", "group_name"):
                v = self.fold(a.value)
                if v is _NO:
                    bound_v = self.bind(self.ev(a.value), a.value.span)
                    attrs[a.keyword] = {"dynamic": unparse(a.value)}
                    bound[f"${a.keyword}"] = bound_v
                else:
                    attrs[a.keyword] = v
        if c.override:
            attrs["override"] = {k: v for k, v in c.override}
        name = (c.key or c.remote_name or "remote").rpartition(":")[2].rpartition(".")[2]
        node = self.add(f"map-{name}", w.MAP, e.span, task=c.fqn, task_key=c.key,
                        inputs=bound, outputs=["o0"], attrs=attrs)
        self.sequence([node.id])
        return MapGen(node.id, is_async)

    def partial_mismatch(self, c: Callee, partial: ir.Call) -> str | None:
        """What is wrong with ``functools.partial(task, ...)`` as flyte.map's function, by the
        SDK's own check (``MapAsyncIterator.validate_partial``): it must leave exactly one of
        the task's parameters unbound, and bind none of the first ``len(args) + 1`` by
        keyword. None when it is right (or cannot be counted: the map then follows Python)."""
        if c.key is None or any(a.star for a in partial.args):
            return None
        f = self.ctx.program.functions.get(c.key)
        if f is None:
            return None
        params = [p.name for p in f.function.params if p.kind not in ("vararg", "varkw")]
        args = len(partial.positional) - 1
        keywords = [a.keyword for a in partial.args if a.keyword]
        name = unparse(partial.positional[0]) if partial.positional else "?"
        left = len(params) - args - len(keywords)
        if left != 1:
            return (f"`functools.partial({name}, ...)` leaves {left} parameters of `{name}` "
                    "unbound, and flyte.map needs exactly one")
        for p in params[: args + 1]:
            if p in keywords:
                return (f"`functools.partial({name}, ...)` binds `{p}` by keyword, where "
                        "flyte.map passes an argument by position")
        return None

    def inline(self, c: Callee, e: ir.Call, hint: str | None) -> Value:
        assert c.key is not None
        f = self.ctx.program.functions[c.key]
        if c.key in self.stack:
            self.b.reason(e.span, f"recursion: helper `{f.function.name}()` calls itself, so "
                                  "the shape of the workflow is only known at run time")
            return self.glue(e, hint)
        if len(self.stack) > MAX_INLINE_DEPTH:
            self.b.reason(e.span, "helpers nested too deeply to follow")
            return self.glue(e, hint)
        frame = Frame.of(c.key, f.module, f.function)
        if c.key.startswith(f"{self.frame.key}.<locals>."):
            # a function defined in this body: the variables it reads from the body are
            # those of the body (a closure), as they are when it is called
            for name, v in self.env.items():
                if name not in frame.locals:
                    frame.env[name] = v
        params = [p for p in f.function.params if p.kind in ("posonly", "normal", "kwonly")]
        pos = [a for a in e.args if a.keyword is None and not a.star]
        for p, a in zip([p for p in params if p.kind != "kwonly"], pos):
            frame.env[p.name] = self.argument(a.value, p.name, f)
        for a in e.args:
            if a.keyword:
                frame.env[a.keyword] = self.argument(a.value, a.keyword, f)
            elif a.star:
                self.b.reason(e.span, f"arguments unpacked with `{a.star}` in a call of helper "
                                      f"`{f.function.name}()`")
        for p in params:
            if p.name not in frame.env:
                if p.default is not None:
                    sub = ExprEvalFactory.make(self, frame)
                    frame.env[p.name] = sub.ev(p.default, p.name)
                else:
                    frame.env[p.name] = Val(w.const_binding(None))
        sub = ExprEvalFactory.make(self, frame)
        sub.run_body(f.function.body)
        self.barrier = sub.barrier
        self.effects = sub.effects
        self.unawaited |= sub.unawaited
        result = sub.merged_return(hint or f.function.name, e.span)
        if f.function.is_async and "forward" not in c.via:
            return Awaitable(result)
        return result

    def argument(self, x: ir.Expr, param: str, f: Function) -> Value:
        """The value of a helper's argument; a semaphore passes through to a helper that
        only uses it with ``async with`` (anything else reads it: see SEMAPHORE_USED)."""
        if isinstance(x, ir.Name):
            v = self.env.get(x.id)
            if isinstance(v, Opaque) and v.what == "semaphore" and self.ctx.only_bounds(
                f.function, param
            ):
                return v
        return self.ev(x, param)

    def cardinality(self, e: ir.Expr) -> str:
        """The number of items of an iterable, as a symbolic expression."""
        if isinstance(e, ir.Call):
            ext = self.external(e.func)
            pos = e.positional
            if ext == "builtins.range":
                if len(pos) == 1:
                    return self.text(pos[0])
                if len(pos) >= 2:
                    return f"{self.text(pos[1])} - {self.text(pos[0])}"
            if ext == "itertools.product" and pos:
                return " * ".join(_paren(self.cardinality(x)) for x in pos)
            if ext == "builtins.zip" and pos:
                return "min(" + ", ".join(self.cardinality(x) for x in pos) + ")"
            if ext in ("builtins.enumerate", "builtins.sorted", "builtins.list",
                       "builtins.reversed", "builtins.tuple") and pos:
                return self.cardinality(pos[0])
        if isinstance(e, ir.Name):
            v = self.env.get(e.id)
            if isinstance(v, Val) and v.binding.source == w.NODE and not v.binding.index:
                n = self.b.by_id.get(v.binding.node or "")
                if n is not None:
                    for key in ("length", "cardinality"):
                        if isinstance(n.attrs.get(key), str):
                            return str(n.attrs[key])
            if isinstance(v, (CoroList, MapGen)):
                n = self.b.by_id.get(v.node)
                if n is not None and isinstance(n.attrs.get("cardinality"), str):
                    return str(n.attrs["cardinality"])
        if isinstance(e, ir.Comp):
            return self.comp_length(e) or f"len({self.text(e)})"
        return f"len({self.text(e)})"

    def comp_length(self, e: ir.Comp) -> str | None:
        bound: set[str] = set()
        for g in e.generators:
            if set(_names(g.iter)) & bound:
                return None  # a nested generator over an earlier item: data-dependent
            bound.update(_names(g.target))
        parts = [self.cardinality(g.iter) for g in e.generators]
        length = " * ".join(_paren(p) for p in parts) if len(parts) > 1 else parts[0]
        if any(g.ifs for g in e.generators):
            return f"<= {length}"
        return length

    def comp(self, e: ir.Comp, hint: str | None) -> Value:
        if len(e.generators) == 1 and not e.generators[0].ifs:
            g = e.generators[0]
            if isinstance(g.target, ir.Name) and isinstance(e.elt, ir.Name) and (
                e.elt.id == g.target.id
            ) and self.interesting(g.iter):
                it = self.ev(g.iter)
                if isinstance(it, MapGen):
                    return Val(w.node_binding(it.node))
                if isinstance(it, (Val, TupleV)):
                    return Val(self.bind(it, e.span))
        if e.kind == "dict" or not self.interesting(e.elt):
            return self.glue(e, hint)
        return self.fanout_comp(e, hint)

    def fanout_comp(self, e: ir.Comp, hint: str | None) -> Value:
        gens = e.generators
        if len(gens) == 1 and not gens[0].ifs:
            over = self.bind(self.ev(gens[0].iter), gens[0].iter.span)
            target = gens[0].target
        else:
            # several generators or filters: the items are computed by a glue node
            targets = [self.text(g.target) for g in gens]
            item = targets[0] if len(targets) == 1 else "(" + ", ".join(targets) + ")"
            clauses = []
            for g in gens:
                clause = f"for {self.text(g.target)} in {self.text(g.iter)}"
                clause += "".join(f" if {self.text(c)}" for c in g.ifs)
                clauses.append(clause)
            inputs: dict[str, w.Binding] = {}
            for name in _names_many([g.iter for g in gens] + [c for g in gens for c in g.ifs]):
                v = self.env.get(name)
                if v is not None:
                    inputs[name] = self.bind(v, e.span)
            n = self.add(f"items-{hint}" if hint else "items", w.GLUE, e.span, inputs=inputs,
                         outputs=["o0"], attrs={"code": f"[{item} {' '.join(clauses)}]",
                                                "mode": "eval", "length": self.comp_length(e)})
            over = w.node_binding(n.id)
            target = gens[0].target if len(gens) == 1 else ir.Seq(
                "tuple", [g.target for g in gens], e.span)
        return self.fanout_over(e, target, over, self.comp_length(e) or "?", hint,
                                body_expr=e.elt)

    def fanout_over(
        self,
        e: ir.Comp,
        target: ir.Expr,
        over: w.Binding,
        cardinality: str,
        hint: str | None,
        *,
        body_expr: ir.Expr,
    ) -> Value:
        item = unparse(target)
        fan = self.add(f"fanout-{_ident(item)}", w.FANOUT, e.span, outputs=["o0"],
                       attrs={"over": over, "item": item, "cardinality": cardinality})
        self.check_bound(over, cardinality, e.span)
        saved_env = dict(self.env)
        saved_where, saved_path, saved_barrier = self.where, self.path, self.barrier
        saved_effects = self.effects
        self.where = (fan.id, "body", self.where[2])
        self.path = (*self.path, (fan.id, "body"))
        self.barrier, self.effects = [], []
        self.bind_target(target, Val(w.Binding(w.ITEM, node=fan.id)))
        v = self.ev(body_expr)
        self.where, self.path, self.effects = saved_where, saved_path, saved_effects
        self.frame.env.clear()
        self.frame.env.update(saved_env)
        body_barrier = self.barrier
        self.barrier = saved_barrier
        result = Val(w.node_binding(fan.id))
        if isinstance(v, (Pending, Awaitable, Future, CoroList)):
            fan.attrs["collect"] = {"o0": self.bind(v.result, e.span)}
            if isinstance(v, Pending):
                self.unawaited.discard(v.node)
            # one coroutine per item: the list is as long as the iterable
            plain = len(e.generators) == 1 and not e.generators[0].ifs
            return CoroList(fan.id, result, count=over if plain else None)
        fan.attrs["collect"] = {"o0": self.bind(v, e.span)}
        if body_barrier:
            fan.attrs["sequential"] = True
        self.sequence([fan.id])
        return result

    def check_bound(self, over: w.Binding, cardinality: str, span: Span) -> None:
        n = self.b.by_id.get(over.node or "") if over.source == w.NODE else None
        if n is not None and n.kind == w.GLUE and "range(" in str(n.attrs.get("code", "")):
            src = self.depends_on_task(over)
            if src is not None:
                self.b.reason(span, f"the loop bound `{n.attrs.get('code')}` comes from the "
                                    f"output of {src}: the number of iterations is only "
                                    "known at run time")

    def bind_target(self, t: ir.Expr, v: Value) -> None:
        if isinstance(t, ir.Name):
            self.env[t.id] = v
            return
        if isinstance(t, ir.Seq):
            if isinstance(v, (Pending, Future, Awaitable)):
                v = v.result
            if any(isinstance(x, ir.Starred) for x in t.elts):
                self.bind_starred(t, v)
                return
            for i, x in enumerate(t.elts):
                if isinstance(v, TupleV) and i < len(v.items):
                    self.bind_target(x, v.items[i])
                elif isinstance(v, Val) and v.binding.source != w.CONST:
                    self.bind_target(x, Val(v.binding.with_index(i)))
                else:
                    self.bind_target(x, Val(self._index_glue(v, i, x.span)))
            return
        # attribute or subscript targets: mutations of a local value
        base: ir.Expr = t
        while isinstance(base, (ir.Attribute, ir.Subscript)):
            base = base.value
        if isinstance(base, ir.Name) and base.id in self.env:
            self.env[base.id] = Opaque("mutated", f"`{base.id}` is changed through "
                                                  f"`{_clip(unparse(t))}` here in a way flytec "
                                                  "does not follow: its value after that is "
                                                  "only known at run time")

    def bind_starred(self, t: ir.Seq, v: Value) -> None:
        """``a, *mid, z = v``: with the items known one by one, each name gets its own (the
        starred one a list of the others); else exec glue unpacks the value as written
        (raising Python's ``ValueError`` when there are too few items)."""
        star = next(i for i, x in enumerate(t.elts) if isinstance(x, ir.Starred))
        after = len(t.elts) - star - 1
        names = [x.value if isinstance(x, ir.Starred) else x for x in t.elts]
        if isinstance(v, TupleV) and len(v.items) >= len(t.elts) - 1:
            n = len(v.items)
            parts: list[Value] = [*v.items[:star],
                                  TupleV(tuple(v.items[star:n - after]), "list"),
                                  *v.items[n - after:]]
            for x, part in zip(names, parts):
                self.bind_target(x, part)
            return
        if not all(isinstance(x, ir.Name) for x in names):
            for x in names:
                self.bind_target(x, Opaque("starred", f"`{_clip(unparse(t))}` unpacks into "
                                                      "targets flytec does not follow"))
            return
        outs = [x.id for x in names if isinstance(x, ir.Name)]
        target = unparse(t)
        if t.kind == "tuple" and target.startswith("(") and target.endswith(")"):
            target = target[1:-1]
        g = self.add(f"glue-{outs[0]}", w.GLUE, t.span, inputs={"_0": self.bind(v, t.span)},
                     outputs=outs, attrs={"code": f"{target} = _0", "mode": "exec"})
        self.glue_since.append(g.id)
        for out in outs:
            self.env[out] = Val(w.node_binding(g.id, out))

    def _index_glue(self, v: Value, i: int, span: Span) -> w.Binding:
        b = self.bind(v, span)
        if b.source == w.CONST and isinstance(b.value, list) and i < len(b.value):
            return w.const_binding(b.value[i])
        return b.with_index(i)

    def if_expr(self, e: ir.IfExp, hint: str | None) -> Value:
        raise NotImplementedError  # provided by the statement interpreter

    def run_body(self, body: list[ir.Stmt]) -> None:
        raise NotImplementedError

    def merged_return(self, hint: str, span: Span) -> Value:
        raise NotImplementedError


class ExprEvalFactory:
    """Creates sub-interpreters (set by the statement module to its subclass)."""

    cls: type[ExprEval] = ExprEval

    @classmethod
    def make(cls, parent: ExprEval, frame: Frame) -> ExprEval:
        sub = cls.cls(parent.ctx, parent.b, frame, where=parent.where, path=parent.path,
                      stack=parent.stack)
        sub.barrier = list(parent.barrier)
        sub.effects = list(parent.effects)
        sub.custom = dict(parent.custom)
        sub.lambdas = set(parent.lambdas) if parent.frame is frame else set()
        sub.container_tasks = set(parent.container_tasks) if parent.frame is frame else set()
        sub.partials = dict(parent.partials) if parent.frame is frame else {}
        return sub


class _NoValue:
    def __repr__(self) -> str:
        return "<no value>"


_NO: Any = _NoValue()


def _binop(op: str, left: Any, right: Any) -> Any:
    nums = (int, float)
    if isinstance(left, bool) or isinstance(right, bool):
        return _NO
    try:
        if isinstance(left, nums) and isinstance(right, nums):
            if op == "+":
                return left + right
            if op == "-":
                return left - right
            if op == "*":
                return left * right
            if op == "/" and right:
                return left / right
            if op == "//" and right:
                return left // right
            if op == "%" and right:
                return left % right
        if isinstance(left, str) and isinstance(right, str) and op == "+":
            return left + right
    except (ArithmeticError, ValueError):
        return _NO
    return _NO


def _names(e: ir.Expr, skip: set[int] | None = None) -> list[str]:
    """Free names of ``e`` (skipping sub-trees whose ids are in ``skip``)."""
    inner = bound_inside(e)
    out: list[str] = []
    skip = skip or set()

    def visit(x: ir.Expr) -> None:
        if id(x) in skip:
            return
        if isinstance(x, ir.Name) and x.id not in inner and x.id not in out:
            out.append(x.id)
        for c in ir.iter_child_exprs(x):
            visit(c)

    visit(e)
    return out


def _names_many(exprs: list[ir.Expr]) -> list[str]:
    out: list[str] = []
    for e in exprs:
        for n in _names(e):
            if n not in out:
                out.append(n)
    return out


COROUTINES = (Pending, Future, CoroList, Awaitable)


def holds_calls(v: Value) -> bool:
    """Whether ``v`` is (or holds) a coroutine or create_task handle of a call."""
    if isinstance(v, TupleV):
        return any(holds_calls(x) for x in v.items)
    return isinstance(v, COROUTINES)


def _imported(fn: ir.FunctionDef) -> set[str]:
    """Names an ``import`` inside the function binds."""
    return {b.local for s in ir.walk_stmts(fn.body) if isinstance(s, ir.ImportStmt)
            for b in s.bindings}


def _only_counted(e: ir.Expr, name: str, skip: set[int]) -> bool:
    """Whether every free use of ``name`` in ``e`` is ``len(name)``."""
    inner = bound_inside(e)
    ok = True

    def visit(x: ir.Expr) -> None:
        nonlocal ok
        if id(x) in skip:
            return
        if isinstance(x, ir.Call) and isinstance(x.func, ir.Name) and x.func.id == "len" and (
            len(x.args) == 1 and isinstance(x.args[0].value, ir.Name)
            and x.args[0].value.id == name and not x.args[0].star
        ):
            return
        if isinstance(x, ir.Name) and x.id == name and name not in inner:
            ok = False
        for c in ir.iter_child_exprs(x):
            visit(c)

    visit(e)
    return ok


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(key: str | None) -> str:
    return (key or "?").rpartition(":")[2]


def _paren(s: str) -> str:
    return f"({s})" if " " in s and not s.startswith(("len(", "min(")) else s


def _ident(s: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in s).strip("_") or "item"


def output_count(fn: ir.FunctionDef) -> int:
    """How many outputs a task has, from its return annotation."""
    r = fn.returns
    if r is None:
        return 1
    if isinstance(r, ir.Const) and r.value is None:
        return 0
    if isinstance(r, ir.Seq) and r.kind == "tuple":
        return len(r.elts)
    if isinstance(r, ir.Subscript) and ir.dotted_name(r.value) in ("tuple", "typing.Tuple",
                                                                    "Tuple"):
        idx = r.index
        if isinstance(idx, ir.Seq) and idx.kind == "tuple":
            if any(isinstance(x, ir.Const) and x.kind == "ellipsis" for x in idx.elts):
                return 1
            return len(idx.elts)
        return 1
    return 1
