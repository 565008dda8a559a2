"""Pictures: a task's workflow and the project's call graph as DOT, SVG, PNG, Mermaid or
JSON, and the difference between two revisions."""

from __future__ import annotations

from flytec.codegen.graph.view import View

FORMATS = ("dot", "svg", "png", "mermaid", "json")


def render_view(view: View, fmt: str) -> bytes:
    """A view in one of :data:`FORMATS` (raises RenderError when Graphviz fails)."""
    if fmt != "json":  # JSON escapes by itself, and keeps the strings as they are
        from flytec.codegen.graph.view import printable_view

        view = printable_view(view)
    if fmt == "mermaid":
        from flytec.codegen.graph.mermaid import to_mermaid

        return to_mermaid(view).encode()
    if fmt == "json":
        from flytec.codegen.graph.json_graph import to_json

        return to_json(view).encode()
    from flytec.codegen.graph.dot import to_dot

    dot = to_dot(view)
    if fmt == "dot":
        return dot.encode()
    from flytec.codegen.graph.render import render

    return render(dot, fmt)


__all__ = ["FORMATS", "View", "render_view"]
