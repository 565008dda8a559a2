"""Entry points of workflow extraction: one task, or every task of a program."""

from __future__ import annotations

from flytec.compiler.workflow.builder import Builder
from flytec.compiler.workflow.context import Context, Frame, jsonable_static, resolve_callee
from flytec.compiler.workflow.describe import describe
from flytec.compiler.workflow.expressions import output_count
from flytec.compiler.workflow.grouped import regroup
from flytec.compiler.workflow.statements import Interpreter
from flytec.compiler.workflow.values import TupleV, Val
from flytec.model import body as ir
from flytec.model import workflow as w
from flytec.model.program import Program, Task
from flytec.model.unparse import unparse


def extract_all(program: Program) -> dict[str, w.Workflow]:
    """The workflow of every task, by task key (sorted)."""
    ctx = Context(program)
    cycles = task_cycles(program, ctx)
    return {key: extract(program, key, ctx, cycles) for key in sorted(program.tasks)}


def extract(
    program: Program,
    key: str,
    ctx: Context | None = None,
    cycles: dict[str, list[str]] | None = None,
) -> w.Workflow:
    ctx = ctx or Context(program)
    task = program.tasks[key]
    wf = w.Workflow(key, task.fqn, inputs=task_inputs(ctx, task), outputs=task_outputs(task))
    if not ctx.calls_tasks(key):
        return wf
    wf.calls_tasks = True
    frame = _frame(ctx, key, task)
    for p in wf.inputs:
        frame.env[p.name] = Val(w.input_binding(p.name))
    b = Builder()
    interp = Interpreter(ctx, b, frame)
    try:
        interp.run_body(frame.fn.body)
        result = interp.merged_return("return", task.function.span)
        _bind_outputs(interp, wf, result)
    except (RecursionError, ValueError, KeyError, AssertionError, AttributeError,
            TypeError, IndexError) as e:  # a bug in flytec must not hide the task
        b.reason(task.function.name_span, f"flytec could not interpret this body "
                                          f"(internal error: {type(e).__name__}: {e})")
    for nid in sorted(interp.unawaited):
        b.by_id[nid].attrs["unawaited"] = True
    if cycles is None:
        cycles = task_cycles(program, ctx)
    for chain in cycles.get(key, []):
        b.reason(task.function.name_span, f"recursion: {chain}, so the depth of the workflow "
                                          "is only known at run time")
    _drop_unused(b, wf)
    wf.nodes = b.nodes
    _prune_after(b)
    wf.edges = b.edges()
    cycle = _cycle(wf.edges)
    if cycle:
        steps = " -> ".join(describe(b.by_id[nid]) for nid in cycle)
        b.reason(task.function.name_span, "flytec could not order this workflow (its steps "
                                          f"{steps} depend on each other)")
    wf.reasons = sorted(b.reasons, key=lambda r: (r.span.line, r.span.column, r.message))
    if wf.reasons:
        wf.possible_callees = possible_callees(program, ctx, key)
    return wf


def _bind_outputs(interp: Interpreter, wf: w.Workflow, result: object) -> None:
    span = interp.frame.fn.span
    if not wf.outputs:
        return
    if len(wf.outputs) == 1:
        assert isinstance(result, (Val, TupleV)) or result is not None
        wf.outputs[0].source = interp.bind(result, span)  # type: ignore[arg-type]
        return
    for i, out in enumerate(wf.outputs):
        if isinstance(result, TupleV) and i < len(result.items):
            out.source = interp.bind(result.items[i], span)
        else:
            out.source = interp.bind(result, span).with_index(i)  # type: ignore[arg-type]


def task_inputs(ctx: Context, task: Task) -> list[w.Param]:
    out: list[w.Param] = []
    for p in task.function.params:
        if p.kind in ("vararg", "varkw"):
            continue
        param = w.Param(p.name, p.annotation_text)
        if p.default is not None:
            param.has_default = True
            v = ctx.evaluator.eval(task.module, p.default)
            j = jsonable_static(v)
            param.default = j if j is not None or v is None else {"dynamic": unparse(p.default)}
        out.append(param)
    return out


def task_outputs(task: Task) -> list[w.Output]:
    fn = task.function
    n = output_count(fn)
    if n == 0:
        return []
    r = fn.returns
    if n == 1:
        return [w.Output("o0", fn.returns_text)]
    elts: list[ir.Expr] = []
    if isinstance(r, ir.Seq):
        elts = r.elts
    elif isinstance(r, ir.Subscript) and isinstance(r.index, ir.Seq):
        elts = r.index.elts
    return [w.Output(f"o{i}", unparse(elts[i]) if i < len(elts) else None) for i in range(n)]


def _cycle(edges: list[w.WEdge]) -> list[str]:
    import networkx as nx

    g: nx.DiGraph = nx.DiGraph()
    g.add_edges_from((e.source, e.target) for e in edges)
    try:
        found = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return []
    return [str(u) for u, _ in found] + [str(found[0][0])]


def _referenced(b: w.Binding | object, out: set[str]) -> None:
    if isinstance(b, w.Binding):
        if b.node is not None:
            out.add(b.node)
    elif isinstance(b, dict):
        for v in b.values():
            _referenced(v, out)
    elif isinstance(b, list):
        for v in b:
            _referenced(v, out)


def _drop_unused(b: Builder, wf: w.Workflow) -> None:
    """Remove glue and merge nodes whose values nothing uses (side effects stay)."""
    while True:
        used: set[str] = set()
        for o in wf.outputs:
            _referenced(o.source, used)
        for n in b.nodes:
            _referenced(n.inputs, used)
            _referenced(n.attrs, used)
            for cases in n.cases.values():
                _referenced([c.source for c in cases], used)
            used.update(n.after)
            if n.parent:
                used.add(n.parent)
        dead = [n for n in b.nodes if n.kind in (w.GLUE, w.MERGE) and n.id not in used
                and not n.attrs.get("await") and not n.attrs.get("effect")
                and (n.kind == w.MERGE or _cannot_fail(n))]
        if not dead:
            return
        ids = {n.id for n in dead}
        b.nodes = [n for n in b.nodes if n.id not in ids]
        for i in ids:
            del b.by_id[i]


def _cannot_fail(n: w.WNode) -> bool:
    """Whether glue ``n`` only names or packs values (``_0``, ``[_0, _1]``, ``range(n)``...):
    dropping it when nothing reads it changes nothing. Other glue (arithmetic, calls,
    indexing on a task's output) can raise, as it does in the body, so it stays."""
    import ast

    code = str(n.attrs.get("code", ""))
    try:
        tree = ast.parse(code, mode="eval" if n.attrs.get("mode") == "eval" else "exec")
    except SyntaxError:
        return False
    for x in ast.walk(tree):
        if isinstance(x, (ast.Expression, ast.Module, ast.Expr, ast.Name, ast.Load,
                          ast.Store, ast.Constant, ast.Tuple, ast.List, ast.Starred,
                          ast.Assign)):
            continue
        return False
    return True


def _prune_after(b: Builder) -> None:
    """Drop ordering constraints already implied by data edges or other ordering."""
    saved = {n.id: n.after for n in b.nodes}
    for n in b.nodes:
        n.after = []
    # ``preds[x]``: nodes certainly finished once ``x`` has finished. Not a container of x (it
    # finishes after its members), nor every case of a merge (only the one taken)
    preds: dict[str, set[str]] = {n.id: set() for n in b.nodes}
    for e in b.edges():
        target = b.by_id[e.target]
        if target.kind != w.MERGE and e.kind == w.DATA:
            preds[e.target].add(e.source)
    containers: dict[str, set[str]] = {}
    for n in b.nodes:
        chain: set[str] = set()
        parent = n.parent
        while parent is not None:  # a member starts once its container runs
            chain.add(parent)
            p = b.by_id.get(parent)
            parent = p.parent if p is not None else None
        containers[n.id] = chain
    data = {k: set(v) for k, v in preds.items()}
    for n in b.nodes:
        preds[n.id] |= {a for a in saved[n.id] if a in b.by_id and a not in containers[n.id]}
    memo: dict[str, set[str]] = {}

    def ancestors(nid: str) -> set[str]:
        if nid in memo:
            return memo[nid]
        memo[nid] = set()
        out: set[str] = set()
        for p in preds.get(nid, ()):
            out.add(p)
            out |= ancestors(p)
        memo[nid] = out
        return out

    for n in b.nodes:
        keep: list[str] = []
        for a in saved[n.id]:
            if a not in b.by_id or a in containers[n.id] or a in keep or a in data[n.id]:
                continue
            # implied when another predecessor of n already waits for a
            if any(a in ancestors(x) for x in preds[n.id] if x != a):
                continue
            keep.append(a)
        n.after = keep


def _inprocess_task_targets(program: Program, ctx: Context, key: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    seen = {key}
    stack = [key]
    while stack:
        k = stack.pop()
        for site in program.calls.get(k, ()):
            target = site.target
            if target is None and site.external is not None:
                target = ctx.external_task(site.external)
            if target is None:
                continue
            if target in program.tasks and "forward" not in site.via:
                out.append((target, site.span.line))
            elif target not in seen and target in program.functions:
                seen.add(target)
                stack.append(target)
    return out


def task_cycles(program: Program, ctx: Context) -> dict[str, list[str]]:
    """Task keys on a cycle of task calls, with a readable description of the cycle.

    Linear in the call graph when nothing recurses: only the tasks of a strongly connected
    component with more than one task can be on a cycle, and each search for the shortest
    way back stays inside its component.
    """
    import networkx as nx

    graph = {k: sorted({t for t, _ in _inprocess_task_targets(program, ctx, k)})
             for k in program.tasks}
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(graph)
    g.add_edges_from((k, t) for k, ts in graph.items() for t in ts if t in graph)
    component: dict[str, set[str]] = {}
    for scc in nx.strongly_connected_components(g):
        if len(scc) > 1:  # self-calls are reported at the call site
            for k in scc:
                component[k] = scc
    out: dict[str, list[str]] = {}
    for start in sorted(component):
        inside = component[start]
        # shortest path back to ``start``
        prev: dict[str, str] = {}
        frontier = [start]
        found = None
        while frontier and found is None:
            nxt: list[str] = []
            for k in frontier:
                for t in graph.get(k, []):
                    if t == start:
                        found = k
                        break
                    if t in inside and t not in prev:
                        prev[t] = k
                        nxt.append(t)
                if found is not None:
                    break
            frontier = nxt
        if found is None or found == start:
            continue  # self-calls are reported at the call site
        chain = [found]
        while chain[-1] != start:
            chain.append(prev[chain[-1]])
        names = [program.tasks[k].fqn for k in reversed(chain)] + [program.tasks[start].fqn]
        out[start] = [" calls ".join(f"`{n}`" for n in names)]
    return out


def possible_callees(program: Program, ctx: Context, key: str) -> list[str]:
    """Tasks the (dynamic) task may call: called in-process or referenced as values."""
    keys = {t for t, _ in _inprocess_task_targets(program, ctx, key)}
    task = program.tasks[key]
    frame = Frame.of(key, task.module, task.function)
    for s in ir.walk_stmts(task.function.body):
        for e in ir.stmt_exprs(s):
            for x in ir.walk_expr(e):
                if isinstance(x, (ir.Name, ir.Attribute)):
                    r = ctx.resolver.resolve(task.module, x, frame.locals)
                    if r is not None and r.kind == "symbol" and r.key in program.tasks:
                        keys.add(r.key)
    return sorted({program.tasks[k].fqn for k in keys if k != key})


def _frame(ctx: Context, key: str, task: Task) -> Frame:
    """The task's frame, its body with dicts of coroutine lists split per gathered key
    (:func:`flytec.compiler.workflow.grouped.regroup`)."""
    frame = Frame.of(key, task.module, task.function)

    def is_gather(f: ir.Expr) -> bool:
        return ctx.resolver.external_name(task.module, f, frame.locals) == "asyncio.gather"

    def is_task(f: ir.Expr) -> bool:
        c = resolve_callee(ctx, frame, f)
        return c is not None and c.kind == "task" and not c.via

    try:
        fn = regroup(task.function, is_gather, is_task)
    except (RecursionError, ValueError, KeyError, AssertionError, AttributeError, TypeError,
            IndexError):  # a bug in flytec: the body as written (its own reasons) instead
        return frame
    return frame if fn is task.function else Frame.of(key, task.module, fn)
