"""Mermaid flowcharts of views (they render in GitHub Markdown).

GitHub's Mermaid refuses diagrams with more than 500 edges: fan-outs are already
collapsed into stacked nodes; beyond that, ordering and bookkeeping edges are dropped
first, then the picture is cut with a note.
"""

from __future__ import annotations

import re

from flytec.codegen.graph.style import NODE_STYLE, STATUS_COLOR, STATUS_FILL
from flytec.codegen.graph.view import View, VNode

MAX_EDGES = 500
_SHAPES = {
    "task": ('["', '"]'), "remote": ('["', '"]'), "map": ('[["', '"]]'),
    "trace": ('(["', '"])'), "glue": ('("', '")'), "branch": ('{"', '"}'),
    "merge": ('{{"', '"}}'), "try": ('{{"', '"}}'), "raise": ('>"', '"]'),
    "loop": ('[["', '"]]'), "seqloop": ('[["', '"]]'), "fanout": ('[["', '"]]'),
    "input": ('[/"', '"/]'),
    "output": ('[\\"', '"\\]'), "call": ('["', '"]'),
}
_LINKS = {
    "data": "-->", "each": "==>", "order": "-.->", "branch": "-.->", "error": "-->",
    "finally": "-.->", "call": "-->", "cross": "==>", "body": "---", "select": "-.-",
    "carry": "-.->",
}
_LOW_PRIORITY = ("select", "body", "order")
_EDGE_COLOR = {"error": "#C62828", "branch": "#E07B00", "each": "#2E8B57", "cross": "#2F6DB5"}
_UNCHANGED = "fill:#F6F8FA,stroke:#8C959F,color:#212121"
# how a diff's edges are told apart besides their colour (colour alone fails the colour-blind)
_LINK_STATUS = {"added": ",stroke-width:3px", "removed": ",stroke-dasharray:6 4",
                "changed": ",stroke-width:3px,stroke-dasharray:2 2"}


def _ids(view: View) -> dict[str, str]:
    """A Mermaid id for every node id of ``view``: ``n_`` and the id's letters, digits and
    underscores (the rest become ``_``), with ``_2``, ``_3``... where two ids would meet
    (``in:x`` and ``in_x``), so that two nodes are never drawn as one."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    names = [n.id for n in view.nodes] + [x for e in view.edges for x in (e.source, e.target)]
    for node_id in names:
        if node_id in out:
            continue
        base = "n_" + re.sub(r"[^A-Za-z0-9_]", "_", node_id)
        got, i = base, 1
        while got in taken:
            i += 1
            got = f"{base}_{i}"
        taken.add(got)
        out[node_id] = got
    return out


def _text(s: str) -> str:
    """``s`` for inside a quoted Mermaid label, shown as written by Mermaid 11, which reads
    labels as Markdown (``*x*`` turns italic, ``__init__`` bold): ``"`` and ``#&<>`` become
    entity codes (``#35;``); Markdown's ``|`[]*~\\``, and ``_`` at the edge of a word, are
    escaped with a backslash (``etl_worker`` stays as it is). A newline is a line break.
    tests/cli/test_mermaid_browser.py checks every label in a real browser."""
    return _SYNTAX.sub(_escape, s).replace("\n", "<br/>")


_SYNTAX = re.compile(r'["#&<>|`\[\]*~\\]|(?<![^\W_])_|_(?![^\W_])')


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == '"':
        return "#quot;"
    return f"#{ord(ch)};" if ch in "#&<>" else "\\" + ch


def _comment(s: str) -> str:
    """A ``%%`` comment line: a line break in ``s`` would end it."""
    return " ".join(s.splitlines())


def _label(n: VNode) -> str:
    lines = [_text(x) for x in n.lines]
    if n.stacked:
        lines.append(f"× {_text(n.stacked)}")
    if n.status:
        lines.append(n.status)
    return "<br/>".join(lines)


def edges_left_out(view: View) -> int:
    """How many edges :func:`to_mermaid` cannot draw (beyond the ordering and bookkeeping
    edges it drops first): those past Mermaid's limit."""
    edges = view.edges if len(view.edges) <= MAX_EDGES else [
        e for e in view.edges if e.kind not in _LOW_PRIORITY]
    return max(0, len(edges) - MAX_EDGES)


def to_mermaid(view: View) -> str:
    edges = list(view.edges)
    note = ""
    if len(edges) > MAX_EDGES:
        edges = [e for e in edges if e.kind not in _LOW_PRIORITY]
    if len(edges) > MAX_EDGES:
        note = f"%% {len(edges) - MAX_EDGES} edges left out (Mermaid's limit is {MAX_EDGES})"
        edges = edges[:MAX_EDGES]
    out = [f"flowchart {'TD' if view.rankdir == 'TB' else view.rankdir}"]
    title = view.title + (" (dynamic)" if view.dynamic else "")
    out.append(f"%% {_comment(title)}")
    for line in view.notes:
        out.append(f"%% {_comment(line)}")
    if note:
        out.append(note)
    mid = _ids(view)
    by_cluster: dict[str | None, list[VNode]] = {}
    for n in view.nodes:
        by_cluster.setdefault(n.cluster, []).append(n)
    for i, name in enumerate(view.clusters):
        members = by_cluster.pop(name, [])
        if not members:
            continue
        out.append(f'  subgraph env_{i}["{_text(view.clusters[name])}"]')
        for n in members:
            out.append("    " + _node(n, mid))
        out.append("  end")
    for rest in by_cluster.values():
        for n in rest:
            out.append("  " + _node(n, mid))
    # a diff keeps colour for what changed: the rest is grey (a green `each` edge or a
    # green map would read as added, a red error edge as removed); shapes still tell kinds
    diff = any(n.status for n in view.nodes) or any(e.status for e in view.edges)
    styles: list[str] = []
    for i, e in enumerate(edges):
        arrow = _LINKS.get(e.kind, "-->")
        label = f'|"{_text(e.label)}"|' if e.label else ""
        out.append(f"  {mid[e.source]} {arrow}{label} {mid[e.target]}")
        color = STATUS_COLOR.get(e.status or "") or (None if diff else _EDGE_COLOR.get(e.kind))
        if color:
            styles.append(f"  linkStyle {i} stroke:{color}{_LINK_STATUS.get(e.status or '', '')}")
    out.extend(styles)
    if diff:
        ids = [mid[n.id] for n in view.nodes if not n.status]
        if ids:
            out.append(f"  classDef unchanged {_UNCHANGED}")
            out.append(f"  class {','.join(ids)} unchanged")
    for k in [] if diff else sorted({n.kind for n in view.nodes}):
        _, fill, border = NODE_STYLE.get(k, NODE_STYLE["task"])
        out.append(f"  classDef {k} fill:{fill},stroke:{border},color:#212121")
        ids = [mid[n.id] for n in view.nodes if n.kind == k and not n.status]
        if ids:
            out.append(f"  class {','.join(ids)} {k}")
    for status, color in STATUS_COLOR.items():
        ids = [mid[n.id] for n in view.nodes if n.status == status]
        if ids:
            dashed = ",stroke-dasharray:6 4" if status == "removed" else ""
            out.append(f"  classDef {status} fill:{STATUS_FILL[status]},stroke:{color},"
                       f"stroke-width:2px{dashed}")
            out.append(f"  class {','.join(ids)} {status}")
    flagged = [mid[n.id] for n in view.nodes if n.findings]
    if flagged:
        out.append("  classDef finding fill:#FFEBEE,stroke:#C62828,stroke-width:2px")
        out.append(f"  class {','.join(flagged)} finding")
    dyn = [mid[n.id] for n in view.nodes if n.dynamic]
    if dyn:  # in a diff, only the dashes (red is for removed)
        out.append("  classDef dynamic " + ("stroke-dasharray:2 3" if diff else
                                            "stroke:#C62828,stroke-dasharray:4 3"))
        out.append(f"  class {','.join(dyn)} dynamic")
    return "\n".join(out) + "\n"


def _node(n: VNode, mid: dict[str, str]) -> str:
    kind = "map" if n.stacked and n.kind in ("task", "remote") else n.kind
    left, right = _SHAPES.get(kind, ('["', '"]'))
    return f"{mid[n.id]}{left}{_label(n)}{right}"
