"""A drawing-oriented view of a plan: visible nodes and edges, clusters, labels.

Both the DOT and the Mermaid writers render a :class:`View`, so pictures in both formats
show the same thing. Fan-out containers are not drawn: their members are drawn *stacked*
with the fan-out's cardinality, and the edges into and out of the fan-out are attached to
those members. Inputs and outputs of the task become nodes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from flytec.model import plan as pm
from flytec.model.diagnostic import Diagnostic
from flytec.model.safe_text import printable

MAX_LABEL = 44


@dataclass
class VNode:
    id: str
    kind: str  # plan node kinds, plus "input", "output" and "seqloop" (a sequential loop)
    lines: list[str]
    cluster: str | None = None  # environment name
    group: str | None = None
    stacked: str | None = None  # cardinality when drawn as many
    dynamic: bool = False
    status: str | None = None  # diff: "added" | "removed" | "changed"
    tooltip: str = ""
    findings: int = 0  # `flytec check` findings in this task (call graphs)
    url: str = ""  # where a click on the node goes (SVG only: DOT's URL attribute)


@dataclass
class VEdge:
    source: str
    target: str
    kind: str  # data | order | branch | error | finally | each
    label: str = ""
    status: str | None = None


@dataclass
class View:
    title: str
    notes: list[str] = field(default_factory=list)
    nodes: list[VNode] = field(default_factory=list)
    edges: list[VEdge] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)  # env name -> label
    dynamic: bool = False
    rankdir: str = "TB"

    def node(self, node_id: str) -> VNode | None:
        for n in self.nodes:
            if n.id == node_id:
                return n
        return None


def printable_view(view: View) -> View:
    """``view`` with every text escaped for display (:func:`flytec.model.safe_text.printable`):
    a lone surrogate or a control character in a label is shown as its escape, never written
    raw into DOT, SVG or Mermaid (UTF-8 cannot encode the one, renderers choke on the other).
    """
    def p(s: str | None) -> str | None:
        return None if s is None else printable(s)

    return dataclasses.replace(
        view,
        title=printable(view.title),
        notes=[printable(n) for n in view.notes],
        nodes=[dataclasses.replace(n, id=printable(n.id), lines=[printable(x) for x in n.lines],
                                   cluster=p(n.cluster), group=p(n.group), stacked=p(n.stacked),
                                   tooltip=printable(n.tooltip)) for n in view.nodes],
        edges=[dataclasses.replace(e, source=printable(e.source), target=printable(e.target),
                                   label=printable(e.label)) for e in view.edges],
        clusters={printable(k): printable(v) for k, v in view.clusters.items()},
    )


def short(text: str, limit: int = MAX_LABEL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def env_label(name: str | None, env: pm.Environment | dict[str, Any] | None) -> str:
    """An environment's cluster title: its name, image, resources, reuse and how many packages
    the image adds (never the list: a long one made pictures unreadable)."""
    if env is None:
        return name or "?"
    e = env if isinstance(env, dict) else env.model_dump()
    parts = [name or "?"]
    image = e.get("image")
    if isinstance(image, dict):
        parts.extend(_image_parts(image))
    res = e.get("resources") or {}
    if isinstance(res, dict):
        bits = [_resource(k, res[k]) for k in ("cpu", "memory", "gpu", "disk") if k in res]
        if bits:
            parts.append(", ".join(bits))
    reuse = e.get("reuse")
    if isinstance(reuse, dict) and "replicas" in reuse:
        r = reuse["replicas"]
        count = f"{r[0]}" if isinstance(r, list) and len(r) == 2 and r[0] == r[1] else (
            f"{r[0]}-{r[1]}" if isinstance(r, list) and len(r) == 2 else str(r))
        parts.append(f"reusable: {count} replicas × {reuse.get('concurrency')}")
    return " · ".join(parts)


def _image_parts(image: dict[str, Any]) -> list[str]:
    """``ghcr.io/org/img:1.2``, or the base of a built image (``debian base py3.12``) and
    ``N packages`` (pip packages; requirement files named)."""
    if "uri" in image:
        return [str(image["uri"])]
    layers = [x for x in image.get("layers") or [] if isinstance(x, dict)]
    if not layers:
        return []
    out = []
    first = layers[0]
    call = str(first.get("call", "")).rpartition(".")[2]
    if call == "from_debian_base":
        base = "debian base"
    else:
        args = [a for a in first.get("args") or [] if isinstance(a, str)]
        base = call.removeprefix("from_").replace("_", " ") + (f" {args[0]}" if args else "")
    version = (first.get("kwargs") or {}).get("python_version")
    if isinstance(version, list) and all(isinstance(v, int) for v in version):
        base += " py" + ".".join(str(v) for v in version)
    out.append(base)
    packages = 0
    files: list[str] = []
    for layer in layers[1:]:
        what = str(layer.get("call", ""))
        args = layer.get("args") or []
        if "pip" in what:
            packages += len(args)
        elif "requirements" in what or "uv_project" in what or "poetry" in what:
            files.extend(str(a) for a in args if isinstance(a, str))
    if packages or files:
        count = f"{packages} package{'s' if packages != 1 else ''}" if packages else ""
        out.append(" + ".join([c for c in (count, *files) if c]))
    return out


def _resource(kind: str, value: Any) -> str:
    """``gpu H100:8``; a value known only at run time is said so (``memory at run time``,
    ``gpu A100 × count at run time``), never shown as ``?``."""
    if not isinstance(value, dict):
        return f"{kind} {value}"
    if str(value.get("call", "")).endswith("GPU"):
        args = list(value.get("args") or [])
        kwargs = value.get("kwargs") or {}
        device = kwargs.get("device", args[0] if args else None)
        count = kwargs.get("quantity", args[1] if len(args) > 1 else None)
        if isinstance(device, str) and isinstance(count, int):
            return f"{kind} {device}:{count}"
        if isinstance(device, str):
            return f"{kind} {device} × count at run time"
    return f"{kind} at run time"


def _binding_text(b: Any) -> str:
    d = b.model_dump(by_alias=True) if hasattr(b, "model_dump") else b
    if d.get("from") == "input":
        return str(d.get("name"))
    if d.get("from") == "const":
        return short(repr(d.get("value")), 20)
    return str(d.get("node"))


def unawaited_calls(diagnostics: Iterable[Diagnostic], path: str) -> frozenset[tuple[int, int]]:
    """Where ``flytec check`` reports FLY103 (a task call never awaited) in ``path``, as
    (line, column): the only places a picture says "never awaited!", so that the graph and
    check always agree (one source of truth: the rule)."""
    return frozenset((d.span.line, d.span.column) for d in diagnostics
                     if d.code == "FLY103" and d.path == path)


def plan_view(plan: pm.Plan, unawaited: Collection[tuple[int, int]] = frozenset()) -> View:
    """The drawing of one task's workflow; ``unawaited``: where check reports FLY103 (see
    :func:`unawaited_calls`; none by default)."""
    driver = plan.environment.name or "?"
    view = View(title=f"{plan.task}   ({plan.source.location})",
                dynamic=not plan.static)
    view.clusters[driver] = env_label(driver, plan.environment)
    for callee in plan.callees.values():
        name = callee.environment.name or "?"
        view.clusters.setdefault(name, env_label(name, callee.environment))
    if not plan.static:
        for r in plan.dynamic_reasons:
            where = f"line {r.line}" if r.cell is None else f"cell {r.cell}, line {r.line}"
            view.notes.append(f"dynamic ({where}): {r.message}")
        if plan.possible_callees:
            view.notes.append("may call: " + ", ".join(plan.possible_callees))
    nodes = {n.id: n for n in plan.nodes}
    fanouts = {n.id: n for n in plan.nodes if n.kind == "fanout"}
    # members that consume each fan-out's item, and what each fan-out's output is
    item_targets: dict[str, list[str]] = {f: [] for f in fanouts}
    for e in plan.edges:
        if e.kind == "item" and e.source in fanouts and e.target in nodes:
            item_targets[e.source].append(e.target)
    collect_src: dict[str, str] = {}
    for f, n in fanouts.items():
        for b in (n.collect or {}).values():
            bs = b if isinstance(b, list) else [b]
            for x in bs:
                if isinstance(x, pm.NodeRef) and x.node in nodes:
                    collect_src[f] = _visible_source(x.node, nodes, fanouts, collect_src)
                    break
    elided = {f for f in fanouts if item_targets[f] and f in collect_src}

    def stack_of(n: pm.Node) -> str | None:
        cards: list[str] = []
        p = n.parent
        while p is not None:
            pn = nodes.get(p)
            if pn is None:
                break
            if pn.kind == "fanout" and pn.id in elided:
                cards.append(pn.cardinality or "?")
            p = pn.parent
        return " × ".join(reversed(cards)) or None

    def in_loop(n: pm.Node) -> bool:
        p = n.parent
        while p is not None:
            pn = nodes.get(p)
            if pn is None:
                return False
            if pn.kind == "loop" and pn.dynamic:
                return True
            p = pn.parent
        return False

    for p in plan.inputs:
        view.nodes.append(VNode(f"in:{p.name}", "input", [f"{p.name}: {p.type or '?'}"],
                                cluster=driver, tooltip="task input"))
    for n in plan.nodes:
        if n.id in elided:
            continue
        cluster = driver
        if n.kind in ("task", "map") and n.task and n.task in plan.callees:
            cluster = plan.callees[n.task].environment.name or "?"
        elif n.kind == "remote":
            cluster = "remote"
            view.clusters.setdefault("remote", "deployed tasks (by reference)")
        vkind = "seqloop" if n.kind == "loop" and not n.dynamic else n.kind
        view.nodes.append(VNode(n.id, vkind, node_lines(n, (n.line, n.column) in unawaited),
                                cluster=cluster, group=n.group,
                                stacked=n.cardinality if n.kind == "map" else stack_of(n),
                                dynamic=bool(n.dynamic) or in_loop(n),
                                tooltip=("" if n.cell is None else f"cell {n.cell}, ")
                                + f"line {n.line}: {n.label}"))
    if plan.kind == "leaf":
        view.nodes.append(VNode("leaf", "task", [plan.task, "leaf: runs as one container"],
                                cluster=driver, tooltip="calls no tasks"))
    for o in plan.outputs:
        view.nodes.append(VNode(f"out:{o.name}", "output", [f"{o.name}: {o.type or '?'}"],
                                cluster=driver, tooltip="task output"))
    seen: set[tuple[str, str, str, str]] = set()

    def add(src: str, dst: str, kind: str, label: str = "") -> None:
        key = (src, dst, kind, label)
        if src != dst and key not in seen:
            seen.add(key)
            view.edges.append(VEdge(src, dst, kind, label))

    def vis(node_id: str) -> str:
        return _visible_source(node_id, nodes, fanouts, collect_src) if node_id in elided \
            else node_id

    for n in plan.nodes:
        for name, b in n.inputs.items():
            if isinstance(b, pm.InputRef):
                add(f"in:{b.name}", vis(n.id) if n.id not in elided else n.id, "data",
                    _edge_label(name, b.index))
    for e in plan.edges:
        if e.kind == "item" and e.source in elided:
            continue
        if e.target in elided and e.kind == "data":
            for t in item_targets[e.target]:
                add(vis(e.source), t, "each", f"each {fanouts[e.target].item}")
            continue
        if e.target in elided:
            continue
        kind = e.kind
        label = ""
        if kind == "data":
            label = _edge_label(e.input or "", e.index or [])
        elif kind == "branch":
            parent = nodes.get(e.source)
            label = e.label or ""
            if parent is not None and parent.kind == "branch":
                label = e.label or ""
        elif kind == "error":
            tnode = nodes.get(e.target)
            tr = nodes.get(e.source)
            if tr is not None and tr.kind == "try" and tnode is not None and tnode.arm:
                label = _handler_types(tr, tnode.arm)
            else:
                label = e.label or ""
        elif kind == "finally":
            label = "finally"
        add(vis(e.source), vis(e.target), kind, label)
    # fan-out inputs given as task inputs ("over" an input)
    for f, fn in fanouts.items():
        if f in elided and isinstance(fn.over, pm.InputRef):
            for t in item_targets[f]:
                add(f"in:{fn.over.name}", t, "each", f"each {fn.item}")
    for o in plan.outputs:
        src = o.source
        if isinstance(src, pm.NodeRef):
            add(vis(src.node), f"out:{o.name}", "data", _edge_label("", src.index))
        elif isinstance(src, pm.InputRef):
            add(f"in:{src.name}", f"out:{o.name}", "data", "")
    if plan.kind == "leaf":
        for p in plan.inputs:
            add(f"in:{p.name}", "leaf", "data", p.name)
        for o in plan.outputs:
            add("leaf", f"out:{o.name}", "data", "")
    _try_entries(plan, nodes, add, vis)
    for n in plan.nodes:  # what an iteration leaves for the next: back to the loop
        if n.kind == "loop" and not n.dynamic:
            for name, b in (n.carry or {}).items():
                if isinstance(b, pm.NodeRef) and b.node in nodes:
                    add(vis(b.node), n.id, "carry", f"next {name}")
    has_input = {e.target for e in view.edges}
    for n in plan.nodes:
        if n.kind == "merge" and n.of and n.of in nodes and n.id not in has_input:
            add(vis(n.of), n.id, "select")  # anchor merges of constants to their branch
    return view


def _inside(node: pm.Node, container: str, nodes: dict[str, pm.Node]) -> bool:
    p = node.parent
    while p is not None:
        if p == container:
            return True
        pn = nodes.get(p)
        p = pn.parent if pn is not None else None
    return False


def _try_entries(plan: pm.Plan, nodes: dict[str, pm.Node], add: Any, vis: Any) -> None:
    """Connect each try node to the first steps of its body (they have no other link)."""
    incoming: dict[str, set[str]] = {}
    for e in plan.edges:
        incoming.setdefault(e.target, set()).add(e.source)
    for t in plan.nodes:
        if t.kind not in ("try", "loop"):
            continue
        for n in plan.nodes:
            if n.parent != t.id or n.arm != "body" or n.kind == "merge":
                continue
            srcs = incoming.get(n.id, set())
            if not any(s in nodes and _inside(nodes[s], t.id, nodes) for s in srcs):
                add(vis(t.id), vis(n.id), "body")


def _handler_types(tr: pm.Node, arm: str) -> str:
    for h in tr.handlers or []:
        if h.arm == arm:
            return ", ".join(t.rpartition(".")[2] for t in h.types)
    return "except"


def _edge_label(name: str, index: list[int | str]) -> str:
    idx = "".join(f"[{i}]" for i in index)
    if name.startswith(("_", "over[")) or re.fullmatch(r"o\d+", name):
        name = ""
    return f"{name}{idx}" if idx else name


def _visible_source(
    node_id: str, nodes: dict[str, pm.Node], fanouts: dict[str, pm.Node],
    collect_src: dict[str, str],
) -> str:
    seen = set()
    while node_id in collect_src and node_id not in seen:
        seen.add(node_id)
        node_id = collect_src[node_id]
    return node_id


def node_lines(n: pm.Node, unawaited: bool = False) -> list[str]:
    """The text of a node in the picture: title line first."""
    if n.kind in ("task", "remote"):
        lines = [n.task or n.label]
        if n.override:
            lines.append("override: " + short(", ".join(f"{k}={_ov(v)}"
                                                        for k, v in n.override.items()), 40))
        if n.forward:
            lines.append("forward (in-process)")
        if unawaited:
            lines.append("never awaited!")
        return lines
    if n.kind == "map":
        lines = [f"map {n.task}"]
        extra = []
        if n.concurrency not in (None, 0):
            extra.append(f"concurrency {n.concurrency}")
        if n.return_exceptions is not False:
            extra.append("returns exceptions")
        if extra:
            lines.append(", ".join(extra))
        return lines
    if n.kind == "trace":
        return [f"trace {(n.function or n.label).rpartition(':')[2]}()"]
    if n.kind == "glue":
        code = re.sub(r"\b_\d+\b", "…", " ".join((n.code or "").split()))
        code = re.sub(r"([(\[{]) ", r"\1", code)
        return [short(code)]
    if n.kind == "branch":
        return [f"if {short(n.condition or '', 36)}"]
    if n.kind == "loop" and n.dynamic:
        return [f"while {short(n.condition or '', 36)}", "dynamic: repeats at run time"]
    if n.kind == "loop":
        lines = [f"for {n.item} in … (one after another)", f"{n.cardinality}"]
        if n.carry:
            lines.append("carries " + short(", ".join(n.carry), 30))
        return lines
    if n.kind == "fanout":
        return [f"for {n.item} in …", f"{n.cardinality}"]
    if n.kind == "try":
        lines = ["try"]
        for h in n.handlers or []:
            lines.append("except " + short(", ".join(t.rpartition(".")[2] for t in h.types), 30))
        if n.has_finally:
            lines.append("finally")
        return lines
    if n.kind == "merge":
        consts = [repr(c.source.value) for cs in (n.cases or {}).values() for c in cs
                  if isinstance(c.source, pm.ConstRef)]
        lines = [n.variable or "value"]
        if consts:
            lines.append(short(" | ".join(dict.fromkeys(consts)), 30))
        return lines
    if n.kind == "raise":
        return ["raise" if n.reraise else f"raise {short(n.exception or '', 32)}"]
    return [n.label]


def _ov(v: Any) -> str:
    if isinstance(v, dict) and "call" in v:
        kw = v.get("kwargs") or {}
        inner = ", ".join(f"{k}={x!r}" for k, x in kw.items())
        return f"{str(v['call']).rpartition('.')[2]}({inner})"
    return repr(v)
