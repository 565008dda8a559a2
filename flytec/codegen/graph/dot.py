"""DOT (Graphviz) pictures of views, built with the ``graphviz`` package."""

from __future__ import annotations

import html

import graphviz

from flytec.codegen.graph.style import (
    CLUSTER_FILLS,
    CODE_FONT,
    EDGE_STYLE,
    FONT,
    NODE_STYLE,
    STATUS_COLOR,
    STATUS_FILL,
)
from flytec.codegen.graph.view import View, VNode


def _safe(node_id: str) -> str:
    return node_id.replace(":", "__")


def _label(n: VNode) -> str:
    """An HTML-like label: bold title, smaller detail lines, cardinality badge."""
    title = html.escape(n.lines[0]) if n.lines else html.escape(n.id)
    font = CODE_FONT if n.kind == "glue" else FONT
    size = "10" if n.kind in ("glue", "merge") else "12"
    rows = [f'<font face="{font}" point-size="{size}">{_bold(title, n)}</font>']
    for line in n.lines[1:]:
        rows.append(f'<font point-size="9" color="#555555">{html.escape(line)}</font>')
    if n.stacked:
        rows.append(f'<font point-size="10" color="#2E8B57"><b>× {html.escape(n.stacked)}'
                    "</b></font>")
    if n.status:
        rows.append(f'<font point-size="9" color="{STATUS_COLOR[n.status]}"><b>{n.status}'
                    "</b></font>")
    return "<" + "<br/>".join(rows) + ">"


def _bold(title: str, n: VNode) -> str:
    return f"<b>{title}</b>" if n.kind in ("task", "map", "remote", "trace") else title


def to_dot(view: View) -> str:
    g = graphviz.Digraph(name="workflow", strict=False)
    g.attr(rankdir=view.rankdir, fontname=FONT, fontsize="14", labelloc="t", labeljust="l",
           newrank="true", compound="true", nodesep="0.35", ranksep="0.45",
           bgcolor="white", pad="0.3")
    title = view.title + ("   (dynamic)" if view.dynamic else "")
    notes = "".join(f'<br/><font point-size="10" color="#C62828">{html.escape(n)}</font>'
                    for n in view.notes[:6])
    g.attr(label=f"<<b>{html.escape(title)}</b>{notes}>")
    g.attr("node", fontname=FONT, fontsize="12", style="filled,rounded", penwidth="1.2",
           margin="0.15,0.06")
    g.attr("edge", fontname=FONT, fontsize="9", fontcolor="#555555", arrowsize="0.7")
    by_cluster: dict[str | None, list[VNode]] = {}
    for n in view.nodes:
        by_cluster.setdefault(n.cluster, []).append(n)
    order = list(view.clusters)
    for i, name in enumerate(order):
        members = by_cluster.pop(name, [])
        if not members:
            continue
        with g.subgraph(name=f"cluster_env_{i}") as c:
            c.attr(label=f"<<b>{html.escape(view.clusters[name])}</b>>", style="rounded,filled",
                   fillcolor=CLUSTER_FILLS[i % len(CLUSTER_FILLS)], color="#B0BEC5",
                   fontsize="11", fontcolor="#37474F", labeljust="l", margin="12")
            groups: dict[str | None, list[VNode]] = {}
            for n in members:
                groups.setdefault(n.group, []).append(n)
            for j, (group, gnodes) in enumerate(groups.items()):
                if group is None:
                    for n in gnodes:
                        _node(c, n)
                    continue
                with c.subgraph(name=f"cluster_env_{i}_group_{j}") as gc:
                    gc.attr(label=f"group: {group}", style="dashed,rounded", color="#90A4AE",
                            fontsize="10", fontcolor="#607D8B", fillcolor="none")
                    for n in gnodes:
                        _node(gc, n)
    inputs = [_safe(n.id) for n in view.nodes if n.kind == "input"]
    if len(inputs) > 1:
        g.body.append("\t{rank=same; " + "; ".join(f'"{i}"' for i in inputs) + "}\n")
    for rest in by_cluster.values():
        for n in rest:
            _node(g, n)
    for e in view.edges:
        attrs = dict(EDGE_STYLE.get(e.kind, EDGE_STYLE["data"]))
        if e.label:
            attrs["label"] = " " + e.label + " "
        if e.kind in ("branch", "error", "finally", "each"):
            attrs["fontcolor"] = attrs.get("color", "#555555")
        if e.status:
            attrs["color"] = STATUS_COLOR[e.status]
            attrs["penwidth"] = "2.2"
            if e.status == "removed":
                attrs["style"] = "dashed"
        g.edge(_safe(e.source), _safe(e.target), **attrs)
    return str(g.source)


def _node(g: graphviz.Digraph, n: VNode) -> None:
    shape, fill, border = NODE_STYLE.get(n.kind, NODE_STYLE["task"])
    attrs = {"shape": shape, "fillcolor": fill, "color": border, "label": _label(n),
             "tooltip": n.tooltip or n.id}
    if n.url:
        attrs["URL"] = n.url
    style = "filled" if shape in ("diamond", "invtriangle", "octagon", "doubleoctagon",
                                  "box3d") else "filled,rounded"
    if n.kind == "merge":
        attrs.update(width="0.3", height="0.3", margin="0.02,0.02")
    if n.kind in ("input", "output"):
        style = "filled"
        attrs["shape"] = "cds" if n.kind == "input" else "box"
        if n.kind == "output":
            attrs["penwidth"] = "2"
    if n.dynamic:
        style += ",dashed"
        attrs["color"] = "#C62828"
        attrs["penwidth"] = "1.6"
    if n.findings:
        attrs["color"] = "#C62828"
        attrs["fillcolor"] = "#FFEBEE"
        attrs["penwidth"] = "2"
    if n.stacked and shape == "box":
        attrs["shape"] = "box3d"
        style = "filled"
    if n.status:
        attrs["color"] = STATUS_COLOR[n.status]
        attrs["fillcolor"] = STATUS_FILL[n.status]
        attrs["penwidth"] = "2.2"
        if n.status == "removed":
            style += ",dashed"
    attrs["style"] = style
    g.node(_safe(n.id), **attrs)
