"""One picture for a docs page: ``PATH[::TASK]`` resolved against a base folder, drawn as an
inline SVG or a Mermaid block, with the files it was drawn from (for incremental rebuilds).

Never imports or runs the drawn code; every failure is a :class:`DrawError` with a one-line
message, which the docs extensions turn into a warning located in the page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flytec.model.diagnostic import Diagnostic

FORMATS = ("svg", "mermaid")
DETAILS = ("summary", "full")
EXAMPLE = "../examples/etl.py::main"


class DrawError(Exception):
    """Why there is no picture: one line, naming the drawn file (and line) when it is at fault."""


@dataclass
class Drawing:
    """``html``: the picture as an HTML fragment (an ``<svg>`` element, or a
    ``<pre class="mermaid">`` block for Mermaid's script to draw); ``sources``: the files the
    load read (the page depends on them); ``warnings``: problems that did not stop the picture
    (a file of a drawn folder that does not parse)."""

    html: str
    fmt: str
    sources: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# What a drawing imports (graph_view imports lazily): see :func:`preload`.
_MODULES = ("flytec.analyzer.check", "flytec.codegen.graph", "flytec.codegen.graph.callgraph",
            "flytec.codegen.graph.collapse", "flytec.codegen.graph.dot",
            "flytec.codegen.graph.mermaid", "flytec.codegen.graph.render",
            "flytec.codegen.graph.select", "flytec.codegen.graph.view", "flytec.codegen.plan",
            "flytec.codegen.plan.select", "flytec.compiler.project",
            "flytec.compiler.workflow", "flytec.config")


def preload() -> None:
    """Import what drawing needs now: worker processes forked afterwards (``sphinx-build
    -j``) inherit the modules instead of each importing them again."""
    import importlib

    for name in _MODULES:
        importlib.import_module(name)


def split_target(target: str) -> tuple[str, str | None]:
    """``PATH::TASK`` into the path and the task (None: the call graph of PATH)."""
    text = target.strip()
    if not text:
        raise DrawError(f"no path given (write PATH or PATH::TASK, e.g. {EXAMPLE})")
    path_text, sep, task = text.partition("::")
    if not path_text.strip():
        raise DrawError(f"no path before `::` in `{text}` (e.g. {EXAMPLE})")
    if sep and not task.strip():
        raise DrawError(f"no task after `::` in `{text}` (write PATH::TASK, e.g. {EXAMPLE})")
    return path_text.strip(), (task.strip() if sep else None)


def draw(target: str, base: Path, fmt: str = "svg", detail: str = "summary") -> Drawing:
    """The picture of ``target`` (``PATH`` or ``PATH::TASK``, PATH relative to ``base``)."""
    if fmt not in FORMATS:
        raise DrawError(f"unknown format `{fmt}` (use one of: {', '.join(FORMATS)})")
    if detail not in DETAILS:
        raise DrawError(f"unknown detail `{detail}` (use one of: {', '.join(DETAILS)})")
    path_text, task = split_target(target)
    path = Path(path_text).expanduser()
    abs_path = path if path.is_absolute() else base / path
    try:
        return _draw(path_text, abs_path, task, fmt, detail)
    except DrawError:
        raise
    except Exception as e:  # a docs build reports, never crashes: an internal error is a line
        raise DrawError(f"flytec could not draw `{target.strip()}`: internal error "
                        f"({type(e).__name__}: {e}); please report it") from e


def _draw(path_text: str, abs_path: Path, task: str | None, fmt: str, detail: str) -> Drawing:
    from flytec.analyzer.check import project_for
    from flytec.codegen.graph import render_view
    from flytec.codegen.graph.render import RenderError
    from flytec.codegen.graph.select import GraphError, graph_view
    from flytec.compiler.project import PathError, path_problem
    from flytec.config import ConfigError, load_config

    problem = path_problem(abs_path)
    if problem is not None:
        raise DrawError(f"`{path_text}`: {problem} (looked for {abs_path.absolute()})")
    root = project_for([abs_path])
    try:
        config = load_config(root, None)
        # Paths in the picture are shown relative to the project root, wherever the docs
        # build runs from.
        got = graph_view(abs_path.resolve(), task, root, config, detail=detail)
        data = render_view(got.view, "svg" if fmt == "svg" else "mermaid")
    except GraphError as e:
        raise DrawError("; ".join([str(e), *_syntax_errors(e.errors)])) from None
    except (PathError, ConfigError, RenderError) as e:
        raise DrawError(str(e)) from None
    sources: list[Path] = []
    if got.loaded is not None:
        sources = sorted({(root / p).resolve() for p in got.loaded.result.program.paths})
    if abs_path.is_file() and abs_path.resolve() not in sources:
        sources.insert(0, abs_path.resolve())
    if (root / "pyproject.toml").is_file():  # the [tool.flytec] settings shape the picture
        sources.append(root / "pyproject.toml")
    body = _inline_svg(data.decode()) if fmt == "svg" else _mermaid_block(data.decode())
    return Drawing(body, fmt, sources, [f"{w} (drawn without it)"
                                        for w in _syntax_errors(got.errors)])


def _syntax_errors(errors: list[Diagnostic]) -> list[str]:
    """The files that could not be read or parsed, ``path:line:column: FLY001 message``."""
    from flytec.model.diagnostic import Category
    from flytec.model.safe_text import printable

    return [printable(f"{d.location}: {d.code} {d.message}") for d in errors
            if d.category == Category.SYNTAX]


_SVG_START = re.compile(r"<svg\b")


def _inline_svg(svg: str) -> str:
    """Graphviz's SVG document as an element for an HTML page: no XML prolog, doctype or
    comments before it, and scaled down to the column's width when wider."""
    m = _SVG_START.search(svg)
    body = svg[m.start():] if m else svg
    head, _, rest = body.partition(">")
    # Graphviz wraps nodes in <a> for their tooltips: themes would underline their text.
    return (f'<svg class="flytec-graph-svg" style="max-width: 100%; height: auto"{head[4:]}>'
            f"<style>{_SVG_STYLE}</style>{rest.rstrip()}\n")


_SVG_STYLE = "svg.flytec-graph-svg a { text-decoration: none; border: none; }"


def _mermaid_block(text: str) -> str:
    """Mermaid source in the element Mermaid's script (and mkdocs-material) look for."""
    return f'<pre class="mermaid">\n{html.escape(text.rstrip(), quote=False)}\n</pre>\n'
