"""Colours and shapes, one per node kind, shared by DOT and Mermaid pictures."""

from __future__ import annotations

FONT = "Helvetica"
CODE_FONT = "Courier"

# kind -> (shape, fill, border)
NODE_STYLE: dict[str, tuple[str, str, str]] = {
    "task": ("box", "#DCEBFA", "#2F6DB5"),
    "remote": ("box", "#EDE3F7", "#7B4FB0"),
    "map": ("box3d", "#D8F0E3", "#2E8B57"),
    "trace": ("box", "#FFF4D6", "#B8860B"),
    "glue": ("box", "#FFFFFF", "#9E9E9E"),
    "branch": ("diamond", "#FFF0E0", "#E07B00"),
    "merge": ("invtriangle", "#F5F5F5", "#9E9E9E"),
    "try": ("octagon", "#FDE2E1", "#C62828"),
    "raise": ("doubleoctagon", "#FFCDD2", "#C62828"),
    "loop": ("box", "#FFEBEE", "#C62828"),
    "seqloop": ("box", "#F3E5F5", "#6A1B9A"),
    "fanout": ("box3d", "#F3F3F3", "#757575"),
    "call": ("box", "#FFEBEE", "#C62828"),
    "input": ("box", "#ECEFF1", "#607D8B"),
    "output": ("box", "#ECEFF1", "#37474F"),
    "helper": ("box", "#FFFFFF", "#9E9E9E"),
}

EDGE_STYLE: dict[str, dict[str, str]] = {
    "data": {"color": "#455A64"},
    "each": {"color": "#2E8B57", "penwidth": "1.6"},
    "order": {"color": "#9E9E9E", "style": "dotted", "arrowhead": "vee"},
    "branch": {"color": "#E07B00", "style": "dashed"},
    "error": {"color": "#C62828", "penwidth": "1.6"},
    "finally": {"color": "#6D4C41", "style": "dotted"},
    "call": {"color": "#455A64"},
    "cross": {"color": "#2F6DB5", "penwidth": "2"},
    "body": {"color": "#C62828", "style": "solid", "arrowhead": "none", "penwidth": "0.8"},
    "select": {"color": "#BDBDBD", "style": "dotted", "arrowhead": "none"},
    "carry": {"color": "#6A1B9A", "style": "dashed", "constraint": "false"},
}

STATUS_COLOR = {"added": "#2E7D32", "removed": "#C62828", "changed": "#EF6C00"}
STATUS_FILL = {"added": "#E8F5E9", "removed": "#FFEBEE", "changed": "#FFF3E0"}

CLUSTER_FILLS = ["#F7FAFD", "#F6FBF7", "#FDF9F3", "#F9F6FC", "#F4F7F7", "#FCF5F5"]
