"""The project's call graph as a view: tasks by environment, traces, remote references,
cross-environment calls emphasised, tasks with findings highlighted."""

from __future__ import annotations

from collections.abc import Iterable

from flytec.codegen.graph.view import VEdge, View, VNode, env_label
from flytec.codegen.plan.environment import environment
from flytec.compiler.workflow.context import Context
from flytec.model.diagnostic import Diagnostic
from flytec.model.program import CallSite, Program


def _targets(program: Program, ctx: Context, key: str) -> list[tuple[str, CallSite, str]]:
    """(target, site, via) for tasks/traces/remote refs reached from ``key`` in-process."""
    out: list[tuple[str, CallSite, str]] = []
    seen = {key}
    stack: list[tuple[str, str]] = [(key, "")]
    while stack:
        k, via = stack.pop()
        for site in program.calls.get(k, ()):
            target = site.target
            if target is None and site.external is not None:
                target = ctx.external_task(site.external)
            if target is None:
                c = ctx.callee_for_key(_symbol_of(program, site) or "")
                if c is not None and c.kind == "remote" and c.remote_name:
                    out.append((f"remote:{c.remote_name}", site, via))
                continue
            if target in program.tasks or target in program.traces:
                out.append((target, site, via))
            elif target not in seen and target in program.functions:
                seen.add(target)
                name = target.rpartition(":")[2]
                stack.append((target, f"{via} via {name}()" if via else f"via {name}()"))
    return out


def _symbol_of(program: Program, site: CallSite) -> str | None:
    from flytec.model import body as ir

    f = site.call.func
    if isinstance(f, ir.Name):
        module = site.caller.partition(":")[0]
        return f"{module}:{f.id}"
    return None


def callgraph_view(
    program: Program, tasks: Iterable[str], diagnostics: list[Diagnostic], title: str
) -> View:
    ctx = Context(program)
    view = View(title=title, rankdir="LR")
    keys = sorted(set(tasks))
    # everything reachable from the requested tasks
    todo = list(keys)
    shown: list[str] = []
    edges: list[tuple[str, str, CallSite, str]] = []
    while todo:
        k = todo.pop(0)
        if k in shown:
            continue
        shown.append(k)
        for target, site, via in _targets(program, ctx, k):
            edges.append((k, target, site, via))
            if not target.startswith("remote:") and target not in shown:
                todo.append(target)
    findings = _findings(program, diagnostics)
    env_of: dict[str, str] = {}
    for k in sorted(shown):
        t = program.tasks.get(k)
        if t is not None:
            env = environment(program, t)
            name = t.env or "?"
            env_of[k] = name
            view.clusters.setdefault(name, env_label(env.name, env))
            lines = [t.fqn]
            options = []
            if env.retries:
                r = env.retries
                count = r.get("count", "?") if isinstance(r, dict) else r
                options.append(f"retries {count}")
            if env.cache.get("behavior") not in (None, "disable"):
                options.append(f"cache {env.cache.get('behavior')}")
            if options:
                lines.append(", ".join(options))
            found = findings.get(k, [])
            if found:
                lines.append(f"⚠ {len(found)} finding{'s' if len(found) > 1 else ''}")
            view.nodes.append(VNode(
                k, "task", lines, cluster=name, findings=len(found),
                tooltip="; ".join(found) or f"{t.path}:{t.function.name_span.line}"))
        elif k in program.traces:
            view.clusters.setdefault("traces", "traces (run in the caller's process)")
            env_of[k] = "traces"
            view.nodes.append(VNode(k, "trace", [f"trace {k.rpartition(':')[2]}()"],
                                    cluster="traces"))
    remotes = sorted({t for _, t, _, _ in edges if t.startswith("remote:")})
    for r in remotes:
        view.clusters.setdefault("remote", "deployed tasks (by reference)")
        view.nodes.append(VNode(r, "remote", [r.partition(":")[2]], cluster="remote"))
        env_of[r] = "remote"
    seen: set[tuple[str, str, str]] = set()
    for src, dst, site, via in edges:
        how = {"map": "map", "map_aio": "map"}.get(site.how, "")
        if not how and "comprehension" in site.contexts:
            how = "each"
        elif not how and "loop" in site.contexts:
            how = "loop"
        label = " ".join(x for x in (how, via) if x)
        key = (src, dst, label)
        if key in seen:
            continue
        seen.add(key)
        cross = env_of.get(src) != env_of.get(dst) and dst in program.tasks
        kind = "cross" if cross else ("each" if how else "call")
        view.edges.append(VEdge(src, dst, kind, label))
    return view


def _findings(program: Program, diagnostics: list[Diagnostic]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    by_fqn: dict[str, list[str]] = {}
    for k, t in program.tasks.items():
        by_fqn.setdefault(t.fqn, []).append(k)
    for d in diagnostics:
        keys: list[str] = []
        if d.task is not None:
            keys = by_fqn.get(d.task, [])
        else:
            for k, t in program.tasks.items():
                sp = t.function.span
                if t.path == d.path and sp.line <= d.span.line <= sp.end_line:
                    keys.append(k)
        for k in keys:
            out.setdefault(k, []).append(f"{d.code} line {d.span.line}: {d.message}")
    return out
