"""Interpreting statements: sequencing, branches, loops, error handlers, returns."""

from __future__ import annotations

import re
from typing import Any

from flytec.compiler.workflow.container_tasks import (
    CONTAINER_TASK,
    bound_once_at_top,
    literal_arguments,
)
from flytec.compiler.workflow.effects import has_effect
from flytec.compiler.workflow.expressions import (
    _NO,
    ExprEval,
    ExprEvalFactory,
    Path,
    _names,
    holds_calls,
)
from flytec.compiler.workflow.source import free_names, mutated_names, stmt_names
from flytec.compiler.workflow.values import (
    Awaitable,
    CallableV,
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
from flytec.model.span import Span
from flytec.model.unparse import unparse


def terminates(body: list[ir.Stmt]) -> bool:
    """Whether every path through ``body`` ends in return/raise/continue/break."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (ir.Return, ir.Raise)):
        return True
    if isinstance(last, ir.Jump) and last.kind in ("continue", "break"):
        return True
    if isinstance(last, ir.If):
        return terminates(last.body) and terminates(last.orelse)
    return False


def has_exit(body: list[ir.Stmt]) -> bool:
    return any(isinstance(s, (ir.Return, ir.Raise)) for s in ir.walk_stmts(body))


class Interpreter(ExprEval):
    # ------------------------------------------------------------------- blocks

    def run_body(self, body: list[ir.Stmt]) -> None:
        self.block(body)

    def matters(self, s: ir.Stmt) -> bool:
        """Whether a statement involves tasks (or exits), so it cannot be plain glue."""
        for e in ir.stmt_exprs(s):
            if self.interesting(e):
                return True
        for b in ir.child_bodies(s):
            for x in ir.walk_stmts(b):
                if isinstance(x, (ir.Return, ir.Raise)):
                    return True
                if any(self.interesting(e) for e in ir.stmt_exprs(x)):
                    return True
        return isinstance(s, (ir.Return, ir.Raise))

    def body_matters(self, body: list[ir.Stmt]) -> bool:
        return any(self.interesting(e) for x in ir.walk_stmts(body) for e in ir.stmt_exprs(x))

    def block(self, body: list[ir.Stmt]) -> None:
        for i, s in enumerate(body):
            if self.terminated:
                return
            if isinstance(s, ir.If) and i + 1 < len(body) and self.matters(s):
                t_then, t_else = terminates(s.body), terminates(s.orelse)
                if t_then != t_else:
                    rest = body[i + 1:]
                    if t_then:
                        s = ir.If(s.test, s.body, [*s.orelse, *rest], s.span, s.is_elif)
                    else:
                        s = ir.If(s.test, [*s.body, *rest], s.orelse, s.span, s.is_elif)
                    self.stmt(s)
                    return
            self.stmt(s)

    def stmt(self, s: ir.Stmt) -> None:
        if isinstance(s, ir.Assign):
            hint = _hint(s.targets[0])
            value = self.ev(s.value, hint)
            for t in s.targets:
                if isinstance(t, (ir.Subscript, ir.Attribute)):
                    self.set_part(s, t, value)
                    continue
                self.bind_target(t, value)
                if isinstance(t, ir.Name):
                    if isinstance(s.value, ir.Lambda):
                        self.lambdas.add(t.id)
                    else:
                        self.lambdas.discard(t.id)
                    rhs = s.value
                    if self.is_container_task(s, t.id):
                        self.container_tasks.add(t.id)
                    else:
                        self.container_tasks.discard(t.id)
                    if isinstance(rhs, ir.Call) and (
                        self.external(rhs.func) == "functools.partial"
                    ):
                        self.partials[t.id] = rhs
                        self.lambdas.add(t.id)  # calling it is in-process glue or a map
                    else:
                        self.partials.pop(t.id, None)
        elif isinstance(s, ir.AnnAssign):
            if s.value is not None:
                self.bind_target(s.target, self.ev(s.value, _hint(s.target)))
        elif isinstance(s, ir.AugAssign):
            if isinstance(s.target, ir.Name) and self.collect is not None and (
                s.target.id in self.reducers
            ):
                self.collect[s.target.id].append(self.bind(self.ev(s.value, s.target.id),
                                                           s.span))
            elif isinstance(s.target, ir.Name) and s.target.id in self.env:
                e = ir.BinOp(s.op.rstrip("="), s.target, s.value, s.target.span)
                folded = self.fold(e)
                if folded is not _NO:
                    self.env[s.target.id] = Val(w.const_binding(folded))
                else:
                    name, op, rhs = s.target.id, s.op.rstrip("="), s.value
                    self.env[name] = self.glue(
                        ir.BinOp(op, s.target, rhs, s.span), name,
                        code_of=lambda rep: f"{name} {op} {_wrap(self.text(rhs, rep))}")
            else:
                self.glue_stmt(s)
        elif isinstance(s, ir.ExprStmt):
            self.expr_stmt(s)
        elif isinstance(s, ir.Return):
            v: Value
            if s.value is None:
                v = Val(w.const_binding(None))
            elif isinstance(s.value, ir.Seq) and s.value.kind == "tuple" and len(
                task_outputs_of(self)) > 1:
                v = TupleV(tuple(self.ev(x, "return") for x in s.value.elts))
            else:
                v = self.ev(s.value, "return")
            self.returns.append((self.path, v, s.span))
            self.terminated = True
        elif isinstance(s, ir.Raise):
            self.raise_(s)
        elif isinstance(s, ir.If):
            if self.matters(s):
                self.branch(s)
            else:
                self.glue_stmt(s)
        elif isinstance(s, ir.For):
            if self.body_matters(s.body) or has_exit(s.body):
                self.for_loop(s)
            else:
                self.glue_stmt(s)
        elif isinstance(s, ir.While):
            if self.matters(s):
                self.while_loop(s)
            else:
                self.glue_stmt(s)
        elif isinstance(s, ir.Try):
            if self.matters(s):
                self.try_(s)
            else:
                self.glue_stmt(s)
        elif isinstance(s, ir.With):
            self.with_(s)
        elif isinstance(s, ir.FunctionStmt):
            key = f"{self.frame.key.partition(':')[0]}:{s.func.qualname}"
            c = self.ctx.callee_for_key(key)
            if c is not None and c.key is not None and self.ctx.calls_tasks(c.key):
                self.env[s.func.name] = CallableV(c)
            else:
                self.define(s)
        elif isinstance(s, ir.Jump):
            if s.kind == "break" and self.in_loop:
                self.b.reason(s.span, "`break` in a loop that calls tasks: the number of "
                                      "iterations is only known at run time")
            if s.kind in ("break", "continue"):
                self.terminated = True
        elif isinstance(s, ir.OtherStmt):
            if self.matters(s):
                self.b.reason(s.span, f"`{s.text}` is not understood by flytec; the tasks it "
                                      "calls are only known at run time")
                for body in s.bodies:
                    self.block(body)
            else:
                self.glue_stmt(s)
        elif isinstance(s, (ir.Assert, ir.Delete)):
            self.glue_stmt(s)
        elif isinstance(s, ir.ScopeDecl):
            written = [n for n in s.names if n in stmt_names(self.frame.fn.body)[1]]
            if written:
                self.b.reason(s.span, f"`{s.kind} {written[0]}`: the body assigns a variable "
                                      "outside the function, which plan glue (it only sets "
                                      "the task's locals) cannot do")
        # pass, imports, global/nonlocal, classes: nothing to do

    def is_container_task(self, s: ir.Assign, name: str) -> bool:
        """``name = ContainerTask(...)`` of literal arguments, the only binding of ``name``,
        at the top of the body: calling it is what calling a module-level one is."""
        rhs = s.value
        return (
            len(s.targets) == 1 and isinstance(rhs, ir.Call)
            and isinstance(rhs.func, (ir.Name, ir.Attribute))
            and self.external(rhs.func) == CONTAINER_TASK
            and literal_arguments(rhs, lambda e: self.fold(e) is not _NO, self.external)
            and bound_once_at_top(self.frame.fn, s, name)
        )

    def expr_stmt(self, s: ir.ExprStmt) -> None:
        e = s.value
        if isinstance(e, ir.Call) and isinstance(e.func, ir.Attribute) and isinstance(
            e.func.value, ir.Name
        ) and e.func.attr in ("append", "extend", "add") and self.collect is not None and (
            e.func.value.id in self.collect
        ) and e.positional:
            v = self.ev(e.positional[0], e.func.value.id)
            if isinstance(v, (Pending, CoroList, Future, Awaitable)):
                self.collect_pending.add(e.func.value.id)
                self.collect_values.setdefault(e.func.value.id, []).append(v)
                if not isinstance(v, Awaitable):
                    self.unawaited.discard(v.node)
            how = "extend" if e.func.attr == "extend" else "append"
            b = self.bind(v, e.span)
            self.collect[e.func.value.id].append(b if how == "append" else b.with_index("*"))
            return
        if self.interesting(e) and (isinstance(e, ir.Await) or self.workflow_operation(e)):
            v = self.ev(e)
            if isinstance(v, Pending):
                self.b.by_id[v.node].attrs["unawaited"] = True
            return
        # anything else (`print(list(flyte.map(...)))`, `lst.append(await t(x))`) is a
        # statement of its own: its task calls become inputs of an effect glue node
        self.glue_stmt(s)

    # --------------------------------------------------------------------- glue

    def check_shared_mutation(self, s: ir.Stmt) -> None:
        """A fan-out's items changing a value they share (``counter[k] += 1`` on a dict made
        before the fan-out, maybe in a helper it calls): in Python every item sees the
        others' changes; plan items each get their own copy."""
        fan = next((nid for nid, _ in reversed(self.path)
                    if self.b.by_id[nid].kind == w.FANOUT), None)
        if fan is None:
            return
        for name in mutated_names(s):
            v = self.env.get(name)
            if not isinstance(v, Val) or v.binding.source == w.ITEM:
                continue
            b = v.binding
            made = self.b.by_id.get(b.node or "") if b.source == w.NODE else None
            if made is None and b.source == w.NODE:
                continue
            if made is None or not self._inside(made, fan):
                self.b.reason(s.span, f"`{name}` is changed by the items of a fan-out that all "
                                      "share it: in Python each item sees the others' "
                                      "changes, which independent plan items cannot")
                return

    def glue_stmt(self, s: ir.Stmt) -> None:
        """A statement without task calls: glue code that updates local variables."""
        self.check_shared_mutation(s)
        reads, writes = stmt_names([s])
        writes = [n for n in writes if n in self.frame.locals]
        effect = has_effect(s, self.frame.locals)
        if not writes and not effect:
            return  # a bare name, a docstring, `del x`: nothing anyone can see
        inputs: dict[str, w.Binding] = {}
        replace_: list[tuple[Span, str]] = []
        own = [s.iter] if isinstance(s, ir.For) else list(ir.stmt_exprs(s))
        subs: list[ir.Expr] = []
        for e in own:
            if self.interesting(e):
                for x in self._interesting_subs(e) or [e]:
                    name = f"_{len(replace_)}"
                    inputs[name] = self.bind(self.escaping(self.ev(x), x), x.span)
                    replace_.append((x.span, name))
                    subs.append(x)
        skip = {id(x) for x in subs}
        exprs = [e for x in ir.walk_stmts([s]) for e in ir.stmt_exprs(x)]
        # a name read only inside a replaced sub-expression (`coros` of `len(coros)`) is
        # read through that sub-expression's input, not by the code
        replaced = {n for x in subs for n in _names(x)}
        outside = {n for e in exprs for n in _names(e, skip)}
        for n in reads:
            if n in replaced and n not in outside:
                continue
            v = self.env.get(n)
            if v is not None and n not in inputs:
                self.check_handles(n, v, exprs, skip)
                inputs[n] = self.bind(v, s.span)
        self.check_glue_calls(exprs)
        code = self.frame.src.text(s.span, replace_, stmt=True) or _stmt_fallback(s)
        base = f"glue-{writes[0]}" if writes else _slug("do", _effect_name(s))
        node = self.add(base, w.GLUE, s.span, inputs=inputs, outputs=writes,
                        attrs={"code": code, "mode": "exec"})
        if effect:
            self.as_effect(node)
        elif self.reads_state(exprs, skip):
            self.in_program_order(node.id)
        else:
            self.glue_since.append(node.id)
        for n in writes:
            self.env[n] = Val(w.node_binding(node.id, n))

    def define(self, s: ir.FunctionStmt) -> None:
        """A function defined in the body that calls no task: exec glue runs its ``def``
        (its output the function), reading the body's values it uses as they are here. In
        Python a closure reads a variable when it is called, so a variable the body sets
        again after the ``def`` (or in a loop around it) makes the function's value only
        known at run time."""
        f = s.func
        name = f.name
        own = {p.name for p in f.params} | set(stmt_names(f.body)[1])
        used = [n for n in stmt_names(f.body)[0] if n not in own and n in self.frame.locals
                and n != name]
        used += [n for d in f.decorators for n in _names(d.expr) if n in self.frame.locals]
        later = {n for x in self.frame.fn.body for y in ir.walk_stmts([x])
                 if (y.span.line, y.span.column) > (s.span.end_line, s.span.end_column)
                 for n in stmt_names([y])[1]}
        late = [n for n in used if n in later or n not in self.env or self.in_loop]
        code = self.frame.src.text(s.span, stmt=True)
        if late or code is None:
            what = f"`{late[0]}`, which the body sets again" if late else "its source"
            self.env[name] = Opaque("lambda", f"`{name}` is a function defined in the body "
                                              f"that reads {what}: what it sees when it is "
                                              "called is only known at run time")
            return
        inputs = {n: self.bind(self.env[n], s.span) for n in dict.fromkeys(used)}
        node = self.add(f"glue-{name}", w.GLUE, s.span, inputs=inputs, outputs=[name],
                        attrs={"code": code, "mode": "exec"})
        self.glue_since.append(node.id)
        self.env[name] = Val(w.node_binding(node.id, name))
        self.defined.add(name)

    def set_part(self, s: ir.Assign, t: ir.Subscript | ir.Attribute, v: Value) -> None:
        """``payload["k"] = <a value a step computed>``: glue that sets the item (or
        attribute) on the local value, in program order (a side effect), its output the
        changed value (the same object, changed in place as in Python)."""
        base: ir.Expr = t
        while isinstance(base, (ir.Attribute, ir.Subscript)):
            base = base.value
        if not isinstance(base, ir.Name) or base.id not in self.env or self.interesting(t) or (
            not isinstance(self.env[base.id], Val)
        ):
            self.bind_target(t, v)  # a value flytec does not follow: using it is dynamic
            return
        self.check_shared_mutation(s)
        inputs = {"_v": self.bind(self.escaping(v, s.value), s.value.span)}
        for n in _names(t):
            val = self.env.get(n)
            if val is not None:
                inputs[n] = self.bind(val, t.span)
        node = self.add(f"glue-{base.id}", w.GLUE, t.span, inputs=inputs, outputs=[base.id],
                        attrs={"code": f"{self.text(t)} = _v", "mode": "exec"})
        self.as_effect(node)
        self.env[base.id] = Val(w.node_binding(node.id, base.id))

    def raise_(self, s: ir.Raise) -> None:
        inputs: dict[str, w.Binding] = {}
        exc = s.exc
        if exc is not None:
            for n in _names(exc):
                v = self.env.get(n)
                if v is not None:
                    inputs[n] = self.bind(v, s.span)
        text = self.text(exc) if exc is not None else "raise"
        name = unparse(exc.func if isinstance(exc, ir.Call) else exc) if exc is not None else ""
        node = self.add(_slug("raise", name.rpartition(".")[2]), w.RAISE, s.span,
                        inputs=inputs, attrs={"exception": text, "reraise": exc is None})
        self.order_after(node.id)  # what the body did before raising happens first
        self.terminated = True

    # ------------------------------------------------------------------ branches

    def condition(self, test: ir.Expr) -> tuple[str, dict[str, w.Binding]]:
        # `if not tasks:` / `len(tasks) > 2` over coroutines, one per item (or per item
        # passing a filter): the test reads a list as long as theirs; nothing runs to know it
        sized = {n: v for n in _names(test) if isinstance(v := self.env.get(n), CoroList)
                 and v.count is not None and _only_sized(test, n)}
        if not sized:
            return self._condition(test)
        for n, v in sized.items():
            assert v.count is not None
            self.env[n] = Val(v.count)
        try:
            return self._condition(test)
        finally:
            self.env.update(sized)

    def _condition(self, test: ir.Expr) -> tuple[str, dict[str, w.Binding]]:
        subs = self._interesting_subs(test) if self.interesting(test) else []
        replace_: list[tuple[Span, str]] = []
        inputs: dict[str, w.Binding] = {}
        if self.interesting(test) and not subs:
            subs = [test]
        sized: list[ir.Expr] = []
        for x in subs:
            v = self.env.get(x.id) if isinstance(x, ir.Name) else None
            if isinstance(x, ir.Name) and isinstance(v, CoroList) and v.count is not None and (
                _only_sized(test, x.id)
            ):
                # `if tasks:` / `len(tasks)` over a list of coroutines, one per item: the
                # items have the same length; nothing needs to run to know it
                inputs[x.id] = v.count
                sized.append(x)
        subs = [x for x in subs if x not in sized]
        for i, x in enumerate(subs):
            name = f"_{i}"
            inputs[name] = self.bind(self.escaping(self.ev(x), x), x.span)
            replace_.append((x.span, name))
        skip = {id(x) for x in [*subs, *sized]}
        for n in _names(test, skip):
            v = self.env.get(n)
            if v is not None and n not in inputs:
                self.check_handles(n, v, [test], skip)
                inputs[n] = self.bind(v, test.span)
        return self.text(test, replace_), inputs

    def branch(self, s: ir.If) -> None:
        cond, inputs = self.condition(s.test)
        node = self.add(_slug("if", cond), w.BRANCH, s.span, inputs=inputs, outputs=["o0"],
                        attrs={"condition": cond, "arms": ["then", "else"]})
        self.sequence_control(node.id)
        arms = [("then", s.body), ("else", s.orelse)]
        self.run_arms(node, arms)

    def sequence_control(self, node_id: str) -> None:
        self.order_after(node_id)

    def run_arm(
        self, node: w.WNode, arm: str, body: list[ir.Stmt], env: dict[str, Value],
        barrier: list[str],
    ) -> tuple[tuple[str, str], dict[str, Value], bool]:
        saved = (self.where, self.path, self.barrier, self.terminated, self.effects)
        self.frame.env.clear()
        self.frame.env.update(env)
        self.where = (node.id, arm, saved[0][2])
        self.path = (*saved[1], (node.id, arm))
        self.barrier = list(barrier)
        self.terminated = False
        self.effects = []
        self.block(body)
        out = ((node.id, arm), dict(self.env), self.terminated)
        self.where, self.path, self.barrier, self.terminated, self.effects = saved
        return out

    def run_arms(self, node: w.WNode, arms: list[tuple[str, list[ir.Stmt]]]) -> None:
        base_env = dict(self.env)
        results = [self.run_arm(node, arm, body, base_env, [node.id]) for arm, body in arms]
        self.barrier, self.effects = [node.id], []  # the branch ran after the side effects
        live = [(c, env) for c, env, term in results if not term]
        self.terminated = self.terminated or not live
        self.frame.env.clear()
        self.frame.env.update(self.merge_envs(live, base_env, node))

    def merge_envs(
        self, live: list[tuple[tuple[str, str], dict[str, Value]]], base: dict[str, Value],
        node: w.WNode,
    ) -> dict[str, Value]:
        if not live:
            return base
        if len(live) == 1:
            return live[0][1]
        out: dict[str, Value] = {}
        names: list[str] = []
        for _, env in live:
            for n in env:
                if n not in names:
                    names.append(n)
        for n in names:
            values = [(c, env.get(n)) for c, env in live]
            present = [(c, v) for c, v in values if v is not None]
            first = present[0][1]
            assert first is not None
            if all(v == first for _, v in present):
                out[n] = first
                continue
            if any(isinstance(v, (Opaque, CallableV, MapGen)) for _, v in present):
                out[n] = Opaque("merged")
                continue
            cases = [w.Case(((c[0], c[1]),), self.bind(v, node.span))
                     for c, v in present if v is not None]
            m = self.add(f"merge-{n}", w.MERGE, node.span, outputs=["o0"],
                         cases={"o0": cases}, attrs={"of": node.id, "variable": n})
            out[n] = Val(w.node_binding(m.id))
        return out

    def if_expr(self, e: ir.IfExp, hint: str | None) -> Value:
        cond, inputs = self.condition(e.test)
        node = self.add(_slug("if", cond), w.BRANCH, e.span, inputs=inputs, outputs=["o0"],
                        attrs={"condition": cond, "arms": ["then", "else"]})
        saved = (self.where, self.path, self.barrier)
        saved_effects = self.effects
        cases: list[w.Case] = []
        for arm, x in (("then", e.body), ("else", e.orelse)):
            self.where = (node.id, arm, saved[0][2])
            self.path = (*saved[1], (node.id, arm))
            self.barrier = [node.id]
            self.effects = []
            v = self.ev(x, hint)
            if isinstance(v, (Pending, Future)):
                self.sequence([v.node])
                v = v.result
            cases.append(w.Case(((node.id, arm),), self.bind(v, x.span)))
        self.where, self.path, self.barrier = saved[0], saved[1], [node.id]
        self.effects = saved_effects
        m = self.add(f"merge-{hint}" if hint else "merge", w.MERGE, e.span, outputs=["o0"],
                     cases={"o0": cases}, attrs={"of": node.id})
        return Val(w.node_binding(m.id))

    # ------------------------------------------------------------------ try

    def try_(self, s: ir.Try) -> None:
        handlers: list[dict[str, Any]] = []
        for i, h in enumerate(s.handlers):
            types: list[str] = []
            if h.type is None:
                types = ["BaseException"]
            else:
                elts = h.type.elts if isinstance(h.type, ir.Seq) else [h.type]
                for t in elts:
                    r = self.ctx.resolver.resolve(self.frame.module, t, self.frame.locals)
                    if r is None:
                        types.append(unparse(t))
                    elif r.kind == "external":
                        types.append(r.dotted.removeprefix("builtins."))
                    else:
                        types.append(".".join([r.key, *r.rest]))
            handlers.append({"arm": f"except:{i}", "types": types, "name": h.name})
        names = [t.rpartition(".")[2] for h in handlers for t in h["types"]]
        node = self.add(_slug("try", "_".join(names) or ("finally" if s.finalbody else "")),
                        w.TRY, s.span, outputs=[],
                        attrs={"handlers": handlers, "else": bool(s.orelse),
                               "finally": bool(s.finalbody)})
        self.sequence_control(node.id)
        base_env = dict(self.env)
        self.try_snapshots.append(None)
        results = [self.run_arm(node, "body", [*s.body, *s.orelse], base_env, self.barrier)]
        snap = self.try_snapshots.pop() or base_env
        for i, h in enumerate(s.handlers):
            env = dict(snap)
            if h.name:
                env[h.name] = Val(w.Binding(w.ERROR, node=node.id))
            results.append(self.run_arm(node, f"except:{i}", h.body, env, [node.id]))
        live = [(c, env) for c, env, term in results if not term]
        terminated = self.terminated or not live
        after = self.merge_envs(live, base_env, node)
        if s.finalbody:
            fin_env = self.merge_envs([*live, ((node.id, "failed"), snap)], base_env, node) \
                if live else snap
            _, env, term = self.run_arm(node, "finally", s.finalbody, fin_env, [node.id])
            terminated = terminated or term
            for k, v in env.items():
                if fin_env.get(k) != v:
                    after[k] = v
        self.frame.env.clear()
        self.frame.env.update(after)
        self.barrier, self.effects = [node.id], []
        self.terminated = terminated

    # ------------------------------------------------------------------ with

    def with_(self, s: ir.With) -> None:
        saved_where = self.where
        saved_custom = dict(self.custom)
        taskgroups: list[str] = []
        if not self.matters(s):
            self.glue_stmt(s)
            return
        for it in s.items:
            c = it.context
            ext = self.external(c.func) if isinstance(c, ir.Call) else None
            if isinstance(c, ir.Call) and ext == "flyte.group":
                arg = c.positional[0] if c.positional else c.keyword("name")
                name = self.fold(arg) if arg is not None else None
                label = name if isinstance(name, str) else (self.text(arg) if arg else "?")
                self.where = (self.where[0], self.where[1], label)
            elif isinstance(c, ir.Call) and ext == "flyte.custom_context" and all(
                a.keyword and not a.star for a in c.args
            ) and it.target is None:
                # the calls started inside see these keys in their context: an attribute of
                # the nodes inside (docs/plan-format.md, "Context managers")
                for a in c.args:
                    assert a.keyword is not None
                    self.set_custom(a.keyword, self.bind(self.ev(a.value, a.keyword),
                                                         a.value.span))
            elif isinstance(c, ir.Call) and ext in CONFIG_CONTEXTS and it.target is None and (
                not any(a.star for a in c.args)
            ):
                # its enter is `flyte.custom_context(**config)` and its exit restores what was
                # there (the plugin's source): the keys its value maps are the context of the
                # nodes inside; the value is computed by glue where the `with` is
                config = self.bind(self.ev(c, "config"), c.span)
                spread = sum(1 for k in self.custom if k.startswith("**"))
                self.set_custom(f"**{spread}", config)
            elif isinstance(c, ir.Name) and s.is_async and it.target is None and isinstance(
                sem := self.env.get(c.id), Opaque
            ) and sem.what == "semaphore":
                self.bound_concurrency(c, sem)
            elif isinstance(c, ir.Call) and ext == "asyncio.TaskGroup":
                if isinstance(it.target, ir.Name):
                    self.env[it.target.id] = Opaque("taskgroup")
                    taskgroups.append(it.target.id)
            else:
                # `with cm as x`: x is what cm.__(a)enter__() returns and cm.__(a)exit__()
                # runs when the block ends; a plan has no node for either.
                self.b.reason(c.span, f"`{'async with' if s.is_async else 'with'} "
                                      f"{self.text(c)}` around the workflow: its context "
                                      "manager's enter and exit only happen in the body")
                if it.target is not None:
                    self.bind_target(it.target, self.ev(c, _hint(it.target)))
        futures_before = len(self.futures)
        self.block(s.body)
        if taskgroups:
            joined = self.futures[futures_before:]
            if joined:
                self.barrier = list(dict.fromkeys([*self.barrier, *joined]))
                for nid in joined:
                    self.unawaited.discard(nid)
        # leave the group (parent/arm may not have changed inside a with) and the context
        self.where = (self.where[0], self.where[1], saved_where[2])
        self.custom = saved_custom

    def set_custom(self, key: str, value: w.Binding) -> None:
        """A key of the custom context from here on, over (and after) what was set before:
        the runtime applies the entries in order, a ``**`` entry's mapping key by key."""
        self.custom.pop(key, None)
        self.custom[key] = value

    def bound_concurrency(self, c: ir.Name, sem: Opaque) -> None:
        """``async with sem:`` where ``sem = asyncio.Semaphore(limit)`` is only ever entered:
        at most ``limit`` of the enclosing fan-out's items run their calls at once. Outside a
        fan-out it bounds nothing (the calls run one after the other there)."""
        fan = next((self.b.by_id[nid] for nid, _ in reversed(self.path)
                    if self.b.by_id[nid].kind == w.FANOUT), None)
        if fan is None:
            return
        limit = sem.extra["limit"]
        owner = self.b.by_id.get(self.b.bounded.setdefault(id(sem.extra), fan.id))
        current = fan.attrs.get("concurrency")
        if owner is not fan or current not in (None, limit):
            self.b.reason(c.span, f"`async with {c.id}` bounds the calls of more than one "
                                  "fan-out (or one already bounded otherwise): together, "
                                  "which a per-fan-out limit cannot say")
            return
        fan.attrs["concurrency"] = limit
        if "binding" in sem.extra:  # a bound known at run time: the fan-out reads it
            fan.inputs["$concurrency"] = sem.extra["binding"]

    # ------------------------------------------------------------------ loops

    def for_loop(self, s: ir.For) -> None:
        reads, writes = stmt_names(s.body)
        accumulators = self._accumulators(s.body)
        reducers = self._reducers(s.body, accumulators)
        item_names = free_names([s.target])
        carried = [
            n for n in writes
            if n in self.env and n not in accumulators and n not in item_names and n in reads
            and n not in reducers
        ]
        over_v = self.ev(s.iter, "items")
        if isinstance(over_v, MapGen):
            over = w.node_binding(over_v.node)
        else:
            over = self.bind(over_v, s.iter.span)
        card = self.cardinality(s.iter)
        if holds_calls(over_v):
            self.check_awaited_items(s)
        counted = [n for n in accumulators if self._appends_a_call(s.body, n)
                   and self._counted_later(n)]
        if counted and over.source == w.NODE:
            # `len(coros)` before they are gathered counts the items: the loop's iterable
            # may be a one-shot iterator (`enumerate(...)`), so it is made a list first
            over = self.materialized(over, s.iter.span)
        used_after = [n for n in writes if n in self.frame.locals and n not in item_names
                      and n not in accumulators and n not in reducers
                      and self._read_outside(s, n)]
        if carried or used_after:
            # one iteration after the other, values carried from each to the next
            self.sequential_loop(s, over, card, [*carried, *used_after], writes, item_names)
            return
        if has_exit(s.body) and any(isinstance(x, ir.Return) for x in ir.walk_stmts(s.body)):
            self.b.reason(s.span, "`return` inside a loop that calls tasks: the number of "
                                  "iterations is only known at run time")
        item = unparse(s.target)
        fan = self.add(f"fanout-{''.join(ch if ch.isalnum() else '_' for ch in item)}",
                       w.FANOUT, s.span, outputs=[],
                       attrs={"over": over, "item": item, "cardinality": card, "loop": True})
        self.check_range_bound(s.iter, s.span)
        self.sequence_control(fan.id)
        saved = (self.where, self.path, self.barrier, self.collect, self.collect_pending,
                 self.collect_values, self.in_loop, self.terminated)
        saved_effects = self.effects
        base_env = dict(self.env)
        self.where = (fan.id, "body", self.where[2])
        self.path = (*self.path, (fan.id, "body"))
        self.barrier, self.effects = [], []
        self.collect = {n: [] for n in [*accumulators, *reducers]}
        self.collect_pending = set()
        self.collect_values = {}
        self.in_loop = True
        saved_reducers, self.reducers = self.reducers, reducers
        self.bind_target(s.target, Val(w.Binding(w.ITEM, node=fan.id)))
        self.block(s.body)
        self.reducers = saved_reducers
        sequential = bool(self.barrier)
        collect, pending, appended = self.collect, self.collect_pending, self.collect_values
        filtered = self._filter_shape(s)
        if filtered is not None and all(
            isinstance(v, (Pending, Future)) for v in appended.get(filtered, [None])
        ):
            # `if cond: coros.append(call(...))`: the branch only creates a coroutine, the
            # iterations wait for nothing (the calls run when the list is gathered)
            sequential = False
        self.where, self.path, self.barrier, self.collect, self.collect_pending, \
            self.collect_values, self.in_loop, self.terminated = saved
        self.effects = saved_effects
        self.frame.env.clear()
        self.frame.env.update(base_env)
        if sequential:
            fan.attrs["sequential"] = True
        collected: dict[str, Any] = {}
        for n, sources in (collect or {}).items():
            if not sources:
                continue
            collected[n] = sources[0] if len(sources) == 1 else sources
            fan.outputs.append(n)
            result = Val(w.node_binding(fan.id, n))
            if n in reducers and n in base_env:
                op = reducers[n]
                g = self.add(f"glue-{n}", w.GLUE, s.span,
                             inputs={n: self.bind(base_env[n], s.span), "_0": result.binding},
                             outputs=[n], attrs={"code": f"for _x in _0:\n    {n} {op}= _x",
                                                 "mode": "exec"})
                self.env[n] = Val(w.node_binding(g.id, n))
                continue
            self.env[n] = self._coro_list(
                fan, n, result, over, appended.get(n, []),
                self._filter_of(s, n, base_env, writes) if n in counted else None,
            ) if n in pending else result
        fan.attrs["collect"] = collected
        for n in writes:
            if n not in collected and n not in item_names and n in self.frame.locals:
                self.env[n] = Opaque("after-loop", f"`{n}` is used after the loop: it holds "
                                                   "the value of the last iteration, only "
                                                   "known at run time")
        if s.orelse:
            self.block(s.orelse)
        if not pending:
            self.barrier, self.effects = [fan.id], []

    def _read_outside(self, loop: ir.For, name: str) -> bool:
        """Whether the function reads ``name`` outside ``loop`` (after it, or before it in an
        enclosing loop: anywhere but inside the loop's own statements)."""
        inside = loop.span
        for x in ir.walk_stmts(self.frame.fn.body):
            if x is loop:
                if name in free_names([loop.iter]):
                    return True
                continue
            if (inside.line, inside.column) <= (x.span.line, x.span.column) and (
                (x.span.end_line, x.span.end_column) <= (inside.end_line, inside.end_column)
            ):
                continue
            exprs = list(ir.stmt_exprs(x))
            if isinstance(x, ir.AugAssign):
                exprs.append(x.target)
            if name in free_names([e for e in exprs if not _is_store(x, e)]):
                return True
        return False

    def sequential_loop(
        self, s: ir.For, over: w.Binding, card: str, carried: list[str], writes: list[str],
        item_names: list[str],
    ) -> None:
        """A ``for`` loop whose iterations depend on each other: a ``loop`` node. Each
        iteration runs the body's members with ``{"from": "node", "node": <loop>, "output":
        name}`` bound to the values the previous one left (``inputs`` before the first);
        ``carry`` says what each iteration leaves; after the loop, its outputs are the
        values of the last iteration (docs/plan-format.md, "Sequential loops")."""
        names = [n for n in writes if n in self.frame.locals and n not in item_names]
        for n in carried:
            if n not in names:
                names.append(n)
        if any(isinstance(x, ir.Return) for x in ir.walk_stmts(s.body)):
            self.b.reason(s.span, "`return` inside a loop that calls tasks: the number of "
                                  "iterations is only known at run time")
        for x in ir.walk_stmts(s.body):
            if isinstance(x, ir.Jump) and x.kind == "continue":
                self.b.reason(x.span, "`continue` in a loop that carries values from one "
                                      "iteration to the next: what an iteration leaves is "
                                      "only known at run time")
        item = unparse(s.target)
        initial = {n: self.bind(self.env[n], s.span) for n in names if n in self.env}
        loop = self.add(f"loop-{''.join(ch if ch.isalnum() else '_' for ch in item)}",
                        w.LOOP, s.span, inputs=initial, outputs=list(names),
                        attrs={"over": over, "item": item, "cardinality": card})
        self.check_range_bound(s.iter, s.span)
        self.sequence_control(loop.id)
        saved = (self.where, self.path, self.barrier, self.collect, self.in_loop,
                 self.terminated, self.effects, self.reducers)
        base_env = dict(self.env)
        for n in names:
            if n in self.env:
                self.env[n] = Val(w.node_binding(loop.id, n))
        self.where = (loop.id, "body", self.where[2])
        self.path = (*self.path, (loop.id, "body"))
        self.barrier, self.effects, self.collect, self.reducers = [], [], None, {}
        self.in_loop = True
        self.bind_target(s.target, Val(w.Binding(w.ITEM, node=loop.id)))
        self.block(s.body)
        carry: dict[str, w.Binding] = {}
        for n in names:
            v = self.env.get(n)
            if v is not None and v != Val(w.node_binding(loop.id, n)):
                carry[n] = self.bind(v, s.span)
        loop.attrs["carry"] = carry
        (self.where, self.path, self.barrier, self.collect, self.in_loop, self.terminated,
         self.effects, self.reducers) = saved
        self.frame.env.clear()
        self.frame.env.update(base_env)
        for n in names:
            self.env[n] = Val(w.node_binding(loop.id, n))
        if s.orelse:
            self.block(s.orelse)
        self.barrier, self.effects = [loop.id], []

    def check_awaited_items(self, s: ir.For) -> None:
        """A loop over coroutines or create_task handles: the plan's items are their results,
        which is the same only where the body does nothing but ``await`` each item."""
        names = set(free_names([s.target]))
        awaited: set[int] = set()
        uses: list[ir.Name] = []
        for x in ir.walk_stmts(s.body):
            for e in ir.stmt_exprs(x):
                for y in ir.walk_expr(e):
                    if isinstance(y, ir.Await) and isinstance(y.value, ir.Name):
                        awaited.add(id(y.value))
                    elif isinstance(y, ir.Name) and y.id in names:
                        uses.append(y)
        used = [u for u in uses if id(u) not in awaited]
        if used or not isinstance(s.target, ir.Name):
            self.b.reason(s.span, f"the loop's items `{unparse(s.target)}` are task calls "
                                  "(coroutines or create_task handles) used for more than "
                                  "awaiting them: what that does is only known at run time")

    def _coro_list(
        self, fan: w.WNode, name: str, result: Value, over: w.Binding, appended: list[Value],
        filt: tuple[ir.Expr, dict[str, w.Binding]] | None,
    ) -> CoroList:
        """The pending calls a loop appended to ``name``: already running when every one was
        ``create_task``-ed; as many as the loop's items when each iteration appends one (in
        the loop's body, not in a branch of it), or as many as the items passing the
        loop's only ``if`` (``filt``: its test and the values it reads) when the append is
        all that ``if`` does."""
        scheduled = bool(appended) and all(isinstance(v, Future) for v in appended)
        count = None
        if len(appended) == 1 and isinstance(appended[0], (Pending, Future)):
            member = self.b.by_id.get(appended[0].node)
            if member is not None and member.parent == fan.id:
                count = over
            elif member is not None and filt is not None and (
                (guard := self.b.by_id.get(member.parent or "")) is not None
                and guard.kind == w.BRANCH and guard.parent == fan.id
                and member.arm == "then"
            ):
                test, inputs = filt
                item = str(fan.attrs["item"])
                code = f"[{item} for {item} in _0 if {self.text(test)}]"
                g = self.add(f"glue-{name}", w.GLUE, test.span,
                             inputs={"_0": over, **inputs}, outputs=["o0"],
                             attrs={"code": code, "mode": "eval"})
                self.glue_since.append(g.id)
                count = w.node_binding(g.id)
        return CoroList(fan.id, result, scheduled, count)

    def materialized(self, over: w.Binding, span: Span) -> w.Binding:
        """``list(over)``: items that can be iterated more than once."""
        g = self.add("glue-items", w.GLUE, span, inputs={"_0": over}, outputs=["o0"],
                     attrs={"code": "list(_0)", "mode": "eval"})
        self.glue_since.append(g.id)
        return w.node_binding(g.id)

    def _appends_a_call(self, body: list[ir.Stmt], name: str) -> bool:
        """Whether the loop body appends a call itself (not awaited) to ``name``."""
        for x in ir.walk_stmts(body):
            if isinstance(x, ir.ExprStmt) and isinstance(x.value, ir.Call) and isinstance(
                f := x.value.func, ir.Attribute
            ) and f.attr == "append" and isinstance(f.value, ir.Name) and (
                f.value.id == name and len(x.value.args) == 1
                and isinstance(x.value.args[0].value, ir.Call)
            ):
                return True
        return False

    def _counted_later(self, name: str) -> bool:
        """Whether the function reads the length or the truth of ``name`` (``len(name)``,
        ``if name:``): what the count of its coroutines is needed for."""
        for x in ir.walk_stmts(self.frame.fn.body):
            if isinstance(x, (ir.If, ir.While)) and name in free_names([x.test]) and (
                _only_sized(x.test, name)
            ):
                return True
            for e in ir.stmt_exprs(x):
                for y in ir.walk_expr(e):
                    if isinstance(y, ir.Call) and isinstance(y.func, ir.Name) and (
                        y.func.id == "len" and len(y.args) == 1
                        and isinstance(y.args[0].value, ir.Name) and y.args[0].value.id == name
                    ):
                        return True
        return False

    @staticmethod
    def _filter_shape(s: ir.For) -> str | None:
        """The ``name`` of ``for x in xs: if cond: name.append(call(a, k=b))`` (no ``else``,
        nothing else in the loop, the call's arguments names or constants); else None."""
        if s.orelse or len(s.body) != 1 or not isinstance(guard := s.body[0], ir.If):
            return None
        if guard.orelse or len(guard.body) != 1 or not isinstance(guard.body[0], ir.ExprStmt):
            return None
        append = guard.body[0].value
        if not (isinstance(append, ir.Call) and isinstance(append.func, ir.Attribute)
                and append.func.attr == "append" and isinstance(append.func.value, ir.Name)
                and len(append.args) == 1 and not append.args[0].star
                and not append.args[0].keyword
                and isinstance(call := append.args[0].value, ir.Call)):
            return None
        if any(a.star or not isinstance(a.value, (ir.Name, ir.Const)) for a in call.args):
            return None
        return append.func.value.id

    def _filter_of(
        self, s: ir.For, name: str, env: dict[str, Value], writes: list[str]
    ) -> tuple[ir.Expr, dict[str, w.Binding]] | None:
        """``for x in xs: if cond: name.append(call(...))`` and nothing else: how many
        coroutines the loop appends is how many items pass ``cond``, which glue can compute
        before any call runs when ``cond`` is a pure expression of the item and of values
        set before the loop, and the call's arguments are plain names and constants (so
        nothing else the loop does can raise first). The test and the values it reads;
        None when the loop is not so."""
        if self._filter_shape(s) != name or not all(
            isinstance(x, (ir.Name, ir.Seq, ir.Starred)) for x in ir.walk_expr(s.target)
        ):
            return None  # the glue's comprehension binds the loop's target as written
        assert isinstance(guard := s.body[0], ir.If)
        test = guard.test
        if self.interesting(test) or self.expr_effect(test, set()) or self.reads_state(
            [test], set()
        ):
            return None
        items = set(free_names([s.target]))
        inputs: dict[str, w.Binding] = {}
        for n in _names(test):
            if n in items:
                continue
            if n == name or n in writes:
                return None
            v = env.get(n)
            if v is None:
                if n in self.frame.locals:
                    return None  # a local not bound here
                continue  # a module global or a builtin: the glue's namespace has it
            if not isinstance(v, Val):
                return None
            inputs[n] = v.binding
        return test, inputs

    def check_range_bound(self, it: ir.Expr, span: Span) -> None:
        if isinstance(it, ir.Call) and self.external(it.func) == "builtins.range":
            for a in it.positional:
                for n in _names(a):
                    v = self.env.get(n)
                    if isinstance(v, Val):
                        src = self.depends_on_task(v.binding)
                        if src is not None:
                            self.b.reason(span, f"the loop bound `{unparse(a)}` comes from "
                                                f"the output of {src}: the number of "
                                                "iterations is only known at run time")

    def _reducers(self, body: list[ir.Stmt], accumulators: list[str]) -> dict[str, str]:
        """``total += x`` at the top of a loop body, ``total`` read nowhere else in it: the
        loop folds the per-item values, which a fan-out can collect and glue can reduce."""
        out: dict[str, str] = {}
        for s in body:
            if isinstance(s, ir.AugAssign) and isinstance(s.target, ir.Name) and (
                s.target.id in self.env and s.target.id not in accumulators
            ):
                out[s.target.id] = s.op.rstrip("=")
        for name in list(out):
            uses = 0
            for x in ir.walk_stmts(body):
                for e in ir.stmt_exprs(x):
                    if isinstance(x, ir.AugAssign) and e is x.target:
                        continue
                    uses += sum(1 for n in free_names([e]) if n == name)
                if isinstance(x, (ir.Assign, ir.AnnAssign)) and name in stmt_names([x])[1]:
                    uses += 1
            assigns = sum(1 for x in ir.walk_stmts(body) if isinstance(x, ir.AugAssign)
                          and isinstance(x.target, ir.Name) and x.target.id == name)
            if uses or assigns != 1:
                del out[name]
        return out

    def _accumulators(self, body: list[ir.Stmt]) -> list[str]:
        """Lists a loop only ``append``s to (``extend``/``add``): its per-item results."""
        out: list[str] = []
        receivers: set[int] = set()
        for x in ir.walk_stmts(body):
            if isinstance(x, ir.ExprStmt) and isinstance(x.value, ir.Call):
                f = x.value.func
                if isinstance(f, ir.Attribute) and f.attr in ("append", "extend", "add") and (
                    isinstance(f.value, ir.Name) and f.value.id in self.env
                ):
                    receivers.add(id(f.value))
                    if f.value.id not in out:
                        out.append(f.value.id)
        for name in list(out):
            for x in ir.walk_stmts(body):
                used = any(
                    isinstance(n, ir.Name) and n.id == name and id(n) not in receivers
                    for e in ir.stmt_exprs(x) for n in ir.walk_expr(e)
                )
                if used:
                    out.remove(name)
                    break
        return out

    def while_loop(self, s: ir.While) -> None:
        reads, writes = stmt_names(s.body)
        cond_names = free_names([s.test])
        by_tasks = [n for n in cond_names if n in writes and self._assigned_by_call(s.body, n)]
        if by_tasks:
            self.b.reason(s.span, f"`while {unparse(s.test)}`: the condition depends on "
                                  f"`{by_tasks[0]}`, which a task call in the loop assigns, so "
                                  "the number of iterations is only known at run time")
        else:
            self.b.reason(s.span, f"`while {unparse(s.test)}` calls tasks an unknown number "
                                  "of times")
        cond, inputs = self.condition(s.test)
        loop = self.add(_slug("while", cond), w.LOOP, s.span, inputs=inputs, outputs=[],
                        attrs={"condition": cond}, dynamic=True)
        self.sequence_control(loop.id)
        saved = (self.where, self.path, self.in_loop, self.terminated)
        saved_effects = self.effects
        base_env = dict(self.env)
        for n in writes:
            if n in self.env:
                self.env[n] = Val(w.node_binding(loop.id, n))
        self.where = (loop.id, "body", self.where[2])
        self.path = (*self.path, (loop.id, "body"))
        self.barrier, self.effects = [], []
        self.in_loop = True
        self.block(s.body)
        carry = {n: self.bind(v, s.span) for n, v in self.env.items()
                 if n in writes and n in self.frame.locals and isinstance(v, Val)}
        if carry:
            loop.attrs["carry"] = carry
        self.where, self.path, self.in_loop, self.terminated = saved
        self.effects = saved_effects
        self.frame.env.clear()
        self.frame.env.update(base_env)
        for n in writes:
            if n in self.frame.locals:
                loop.outputs.append(n)
                self.env[n] = Val(w.node_binding(loop.id, n))
        self.barrier, self.effects = [loop.id], []

    def _assigned_by_call(self, body: list[ir.Stmt], name: str) -> bool:
        for x in ir.walk_stmts(body):
            targets: list[ir.Expr] = []
            value: ir.Expr | None = None
            if isinstance(x, ir.Assign):
                targets, value = x.targets, x.value
            elif isinstance(x, (ir.AugAssign, ir.AnnAssign)):
                targets, value = [x.target], x.value
            if value is None or not any(name in free_names([t]) for t in targets):
                continue
            if self.interesting(value):
                return True
        return False

    # ------------------------------------------------------------------ returns

    def merged_return(self, hint: str, span: Span) -> Value:
        if not self.returns:
            return Val(w.const_binding(None))
        if len(self.returns) == 1:
            return self.returns[0][1]
        width = {len(v.items) if isinstance(v, TupleV) else 0 for _, v, _ in self.returns}
        if len(width) == 1 and (n := width.pop()) > 1:
            items: list[Value] = []
            for i in range(n):
                cases = []
                for path, v, sp in self.returns:
                    assert isinstance(v, TupleV)
                    cases.append(w.Case(path, self.bind(v.items[i], sp)))
                m = self.add(f"merge-{hint}", w.MERGE, span, outputs=["o0"],
                             cases={"o0": cases}, attrs={"variable": hint})
                items.append(Val(w.node_binding(m.id)))
            return TupleV(tuple(items))
        cases = [w.Case(path, self.bind(v, sp)) for path, v, sp in self.returns]
        m = self.add(f"merge-{hint}", w.MERGE, span, outputs=["o0"], cases={"o0": cases},
                     attrs={"variable": hint})
        return Val(w.node_binding(m.id))


def task_outputs_of(interp: ExprEval) -> list[str]:
    """Output names of the function being interpreted (tasks only; helpers return one value)."""
    from flytec.compiler.workflow.expressions import output_count

    if interp.frame.key not in interp.ctx.program.tasks:
        return ["o0"]
    return [f"o{i}" for i in range(output_count(interp.frame.fn))]


def _is_store(s: ir.Stmt, e: ir.Expr) -> bool:
    """Whether ``e`` is a plain assignment target of ``s`` (``x = ...``: not a read)."""
    targets: list[ir.Expr] = []
    if isinstance(s, ir.Assign):
        targets = s.targets
    elif isinstance(s, (ir.AnnAssign, ir.For)):
        targets = [s.target]
    elif isinstance(s, ir.With):
        targets = [it.target for it in s.items if it.target is not None]
    return any(e is t for t in targets) and all(
        isinstance(x, (ir.Name, ir.Seq, ir.Starred)) for x in ir.walk_expr(e))


#: context managers whose enter is ``flyte.custom_context(**cm)`` with the mapping ``cm`` is
#: (``keys()`` and ``[]``), and whose exit restores the context (flyteplugins-wandb 2.12)
CONFIG_CONTEXTS = frozenset({
    "flyteplugins.wandb.wandb_config", "flyteplugins.wandb._context.wandb_config",
    "flyteplugins.wandb.wandb_sweep_config", "flyteplugins.wandb._context.wandb_sweep_config",
})


def _only_sized(e: ir.Expr, name: str) -> bool:
    """Whether every use of ``name`` in condition ``e`` is its truth or its length:
    ``name``, ``not name``, ``len(name)``, ``bool(name)`` (as the test, under ``not``,
    ``and``/``or``, or in a comparison)."""
    def ok(x: ir.Expr, truth: bool) -> bool:
        if isinstance(x, ir.Name):
            return truth or x.id != name
        if isinstance(x, ir.Call) and isinstance(x.func, ir.Name) and x.func.id in (
            "len", "bool"
        ) and len(x.args) == 1 and not x.args[0].star and not x.args[0].keyword and (
            isinstance(x.args[0].value, ir.Name)
        ):
            return True
        if isinstance(x, ir.UnaryOp) and x.op == "not":
            return ok(x.operand, truth)
        if isinstance(x, ir.BoolOp):
            return all(ok(v, truth) for v in x.values)
        return all(ok(c, False) for c in ir.iter_child_exprs(x))

    return ok(e, True)


def _slug(kind: str, text: str, limit: int = 28) -> str:
    """A readable node id from source text: ``if not active`` -> ``if-not_active``."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}_{word}" if slug else word
    return f"{kind}-{slug}" if slug else kind


def _wrap(text: str) -> str:
    return text if text.isidentifier() or text.replace(".", "", 1).isdigit() else f"({text})"


def _hint(t: ir.Expr) -> str | None:
    if isinstance(t, ir.Name):
        return t.id
    if isinstance(t, ir.Seq) and t.elts and isinstance(t.elts[0], ir.Name):
        return t.elts[0].id
    return None


def _effect_name(s: ir.Stmt) -> str:
    """A readable id for a side-effect statement: ``do-print``, ``do-assert``..."""
    if isinstance(s, ir.Assert):
        return "assert"
    if isinstance(s, ir.Delete):
        return "del"
    if isinstance(s, ir.ExprStmt):
        e = s.value.value if isinstance(s.value, ir.Await) else s.value
        if isinstance(e, ir.Call):
            return unparse(e.func)
    if isinstance(s, ir.AugAssign):
        return unparse(s.target)
    if isinstance(s, ir.OtherStmt):
        return s.text.split()[0] if s.text.split() else "stmt"
    return type(s).__name__.lower()


def _stmt_fallback(s: ir.Stmt) -> str:
    return "; ".join(unparse(e) for e in ir.stmt_exprs(s))


ExprEvalFactory.cls = Interpreter

__all__ = ["Interpreter", "Path", "terminates"]
