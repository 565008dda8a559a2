"""A workflow's picture for its page: the view ``flytec graph PATH::TASK`` draws
(:func:`flytec.codegen.graph.select.workflow_view`), with each node linked (DOT's ``URL``),
rendered to SVG by :func:`flytec.codegen.graph.render_view` and made fit to inline in HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flytec.codegen.graph.view import View
from flytec.model import plan as pm

#: workflows with more drawn nodes are not laid out (Graphviz would take minutes on one)
MAX_NODES = 400

_PROLOG = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?")
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)


@dataclass
class Picture:
    view: View
    svg: str | None  # SVG markup to inline, or None with ``problem`` saying why
    problem: str = ""


def workflow_picture(plan: pm.Plan, detail: str, unawaited: frozenset[tuple[int, int]],
                     url: Callable[[pm.Node], str]) -> Picture:
    """The picture of ``plan``; ``url(node)``: where a click on a plan node goes."""
    from flytec.codegen.graph import render_view
    from flytec.codegen.graph.render import RenderError
    from flytec.codegen.graph.select import workflow_view

    view = workflow_view(plan, detail, unawaited)
    nodes = {n.id: n for n in plan.nodes}
    for v in view.nodes:
        node = nodes.get(v.id)
        if node is not None:
            v.url = url(node)
    if len(view.nodes) > MAX_NODES:
        return Picture(view, None, f"{len(view.nodes)} nodes are too many to draw here (at "
                                   f"most {MAX_NODES}); `flytec graph` draws it")
    try:
        data = render_view(view, "svg")
    except RenderError as e:
        return Picture(view, None, f"Graphviz could not draw it: {e}")
    return Picture(view, inline_svg(data.decode("utf-8", "replace")))


def inline_svg(svg: str) -> str:
    """Graphviz's SVG document as an element to put in an HTML page: no XML declaration, no
    doctype, no comments (they repeat node names)."""
    return _COMMENT.sub("", _PROLOG.sub("", svg, count=1)).strip()
