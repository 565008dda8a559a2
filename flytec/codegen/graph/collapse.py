"""The summary view of a workflow: glue collapsed into labelled edges.

``flytec graph PATH::TASK`` draws, by default, what a reviewer reads a workflow for: task
calls, fan-outs, maps, loops, branches, error handlers, raises and groups, with the task's
inputs and outputs. Glue (small in-process computations, side-effect statements) and merges
(the value of a variable after a branch) are not drawn; each becomes the edges that ran
through it, from what it read to what read it, labelled with its code. ``--detail full``
draws the plan's every node (:func:`flytec.codegen.graph.view.plan_view` as is).
"""

from __future__ import annotations

from flytec.codegen.graph.view import VEdge, View, short

#: node kinds the summary folds into edges
COLLAPSED = frozenset({"glue", "merge"})
#: edge kinds that say where a node runs (an arm, a handler): they win over plain data
_PLACING = ("branch", "error", "finally", "each", "body")
LABEL = 36


def collapse(view: View) -> View:
    """``view`` without its glue and merge nodes; the edges through them are joined."""
    folded = {n.id: n for n in view.nodes if n.kind in COLLAPSED}
    if not folded:
        return view
    edges = [VEdge(e.source, e.target, e.kind, e.label, e.status) for e in view.edges]
    for nid, node in folded.items():
        into = [e for e in edges if e.target == nid and e.source != nid]
        out = [e for e in edges if e.source == nid and e.target != nid]
        rest = [e for e in edges if e.source != nid and e.target != nid]
        text = _text(node.lines[0] if node.lines else "", node.kind)
        for a in into:
            for b in out:
                rest.append(_join(a, b, text))
        edges = rest
    out_edges: list[VEdge] = []
    index: dict[tuple[str, str, str], VEdge] = {}
    for e in edges:
        if e.source == e.target or e.source in folded or e.target in folded:
            continue
        key = (e.source, e.target, e.kind)
        seen = index.get(key)
        if seen is None:
            index[key] = e
            out_edges.append(e)
        elif e.label and e.label not in seen.label.split(" | "):
            seen.label = short(f"{seen.label} | {e.label}" if seen.label else e.label, LABEL)
    # an order edge next to a data edge between the same nodes says nothing more
    data = {(e.source, e.target) for e in out_edges if e.kind != "order"}
    out_edges = [e for e in out_edges if e.kind != "order" or (e.source, e.target) not in data]
    return View(title=view.title, notes=list(view.notes),
                nodes=[n for n in view.nodes if n.id not in folded], edges=out_edges,
                clusters=dict(view.clusters), dynamic=view.dynamic, rankdir=view.rankdir)


def _text(line: str, kind: str) -> str:
    if kind == "merge":
        return ""  # a variable's value after a branch: the branch edges say it
    return short(line, LABEL)


def _join(a: VEdge, b: VEdge, text: str) -> VEdge:
    """The edge ``a`` then ``b`` (through a folded node computing ``text``)."""
    if a.kind in _PLACING:
        kind = a.kind
    elif b.kind in _PLACING:
        kind = b.kind
    elif a.kind == "order" and b.kind == "order":
        kind = "order"
    else:
        kind = "data"
    if kind in ("branch", "error", "finally", "each"):
        label = a.label if a.kind == kind else b.label
    elif kind in ("order", "body"):
        label = ""
    else:
        label = text or b.label or a.label
    status = a.status or b.status
    return VEdge(a.source, b.target, kind, label, status)
