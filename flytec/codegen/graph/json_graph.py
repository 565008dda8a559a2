"""A view as JSON (nodes, edges, clusters) for other tools to draw."""

from __future__ import annotations

import json
from typing import Any

from flytec.codegen.graph.view import View
from flytec.model.safe_text import escape_json_text


def to_json(view: View) -> str:
    data: dict[str, Any] = {
        "title": view.title,
        "dynamic": view.dynamic,
        "notes": view.notes,
        "clusters": [{"name": k, "label": v} for k, v in view.clusters.items()],
        "nodes": [
            {k: v for k, v in {
                "id": n.id, "kind": n.kind, "label": n.lines, "cluster": n.cluster,
                "group": n.group, "stacked": n.stacked, "dynamic": n.dynamic or None,
                "status": n.status, "findings": n.findings or None,
            }.items() if v is not None}
            for n in view.nodes
        ],
        "edges": [
            {k: v for k, v in {"source": e.source, "target": e.target, "kind": e.kind,
                               "label": e.label or None, "status": e.status}.items()
             if v is not None}
            for e in view.edges
        ],
    }
    return escape_json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
