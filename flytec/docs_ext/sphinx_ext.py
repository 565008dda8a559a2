"""The Sphinx extension behind ``extensions = ["flytec.sphinx"]``: the ``flytec-graph``
directive, which draws a task's workflow or a call graph when the docs are built.

The picture is made while Sphinx reads the page (so ``-j auto`` draws pages in parallel) and
the page depends on every file the picture was drawn from (so an edit to the drawn code
rebuilds it). A bad path, a missing task or a file that does not parse is a warning located
in the page (``-W`` turns it into a failed build), never a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from flytec.docs_ext.draw import DETAILS, FORMATS, DrawError, draw, preload

logger = logging.getLogger(__name__)

# Where the page gets Mermaid's script from when a picture is drawn as Mermaid: a URL, a file
# under ``html_static_path``, or None when the theme or another extension already loads it.
MERMAID_JS = "https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.min.js"
MERMAID_CLASS = "flytec-graph-mermaid"


def _format(argument: str) -> str:
    return directives.choice(argument, FORMATS)


def _detail(argument: str) -> str:
    return directives.choice(argument, DETAILS)


class FlytecGraph(SphinxDirective):
    """``.. flytec-graph:: path/to/module.py::task`` (or a path alone: its call graph)."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "format": _format,
        "detail": _detail,
        "caption": directives.unchanged,
        "name": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        root = self.config.flytec_graph_root
        base = Path(root) if root else Path(self.env.doc2path(self.env.docname)).parent
        fmt = self.options.get("format", "svg")
        try:
            drawing = draw(self.arguments[0], base, fmt, self.options.get("detail", "summary"))
        except DrawError as e:
            self._warn(str(e))
            return []
        for source in drawing.sources:
            self.env.note_dependency(str(source))
        for problem in drawing.warnings:
            self._warn(problem)
        raw = nodes.raw("", drawing.html, format="html", classes=[f"flytec-graph-{fmt}"])
        figure = nodes.figure("", raw, classes=["flytec-graph", *self.options.get("class", [])])
        self.set_source_info(figure)
        caption = self.options.get("caption")
        if caption:
            text, messages = self.state.inline_text(caption, self.lineno)
            figure += nodes.caption(caption, "", *text)
            figure += messages
        self.add_name(figure)
        return [figure]

    def _warn(self, message: str) -> None:
        logger.warning("flytec-graph: %s", message, location=self.get_location(),
                       type="flytec", subtype="graph")


def _resolve_root(app: Sphinx, config: Config) -> None:
    """``flytec_graph_root``, relative to the folder of conf.py, made absolute once."""
    root = config.flytec_graph_root
    if root:
        config.flytec_graph_root = str((Path(app.confdir) / root).resolve())


def _preload(app: Sphinx) -> None:
    """With ``-j N``, pages are read in forked processes: import flytec's drawing code once,
    before they fork."""
    if app.parallel > 1:
        preload()


def _mermaid_script(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None) -> None:
    """Mermaid's script on the pages that hold a picture drawn as Mermaid (only those)."""
    script = app.config.flytec_mermaid_js
    if not script or doctree is None:
        return
    for node in doctree.findall(nodes.raw):
        if MERMAID_CLASS in node["classes"]:
            app.add_js_file(script)
            return


def setup(app: Sphinx) -> dict[str, Any]:
    from flytec import __version__

    app.add_config_value("flytec_graph_root", None, "env", types=(str, type(None)))
    app.add_config_value("flytec_mermaid_js", MERMAID_JS, "html", types=(str, type(None)))
    app.add_directive("flytec-graph", FlytecGraph)
    app.connect("config-inited", _resolve_root)
    app.connect("builder-inited", _preload)
    app.connect("html-page-context", _mermaid_script)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
