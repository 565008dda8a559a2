"""Rendering DOT to SVG or PNG: the ``dot`` program when installed, else the Graphviz
libraries bundled in the ``pygraphviz`` wheel (so a plain ``pip install`` is enough)."""

from __future__ import annotations

import shutil
import subprocess


class RenderError(Exception):
    """Graphviz could not render a picture."""


def render(dot_source: str, fmt: str) -> bytes:
    if fmt not in ("svg", "png"):
        raise ValueError(fmt)
    exe = shutil.which("dot")
    if exe is not None:
        try:
            proc = subprocess.run([exe, f"-T{fmt}"], input=dot_source.encode(),
                                  capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise RenderError(f"dot failed: {e}") from e
        if proc.returncode == 0:
            return proc.stdout
        raise RenderError(proc.stderr.decode(errors="replace").strip() or "dot failed")
    try:
        import pygraphviz
    except ImportError as e:  # pragma: no cover - pygraphviz is a dependency
        raise RenderError("neither the `dot` program nor pygraphviz is available") from e
    try:
        graph = pygraphviz.AGraph(string=dot_source)
        data = graph.draw(prog="dot", format=fmt)
    except Exception as e:  # pygraphviz raises bare exceptions from the C library
        raise RenderError(f"graphviz could not render the graph: {e}") from e
    if not isinstance(data, bytes):
        raise RenderError("graphviz returned no image")
    return data
