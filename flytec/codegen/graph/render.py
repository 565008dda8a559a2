"""Rendering DOT to SVG or PNG: the ``dot`` program when installed, else the Graphviz
libraries bundled in the ``pygraphviz`` wheel (so a plain ``pip install`` is enough).

The wheel's libraries bring their own fontconfig (2.13.1), which on its first use in a process
parses every configuration *template* of the system (``/usr/share/fontconfig/conf.avail``),
enabled or not. Debian 12 ships ``05-reset-dirs-sample.conf`` there, a sample (never enabled)
using an element that 2.13.1 predates, so every render printed::

    Fontconfig warning: "/usr/share/fontconfig/conf.avail/05-reset-dirs-sample.conf", line 6:
    unknown element "reset-dirs"

No configuration avoids it (fontconfig reads the templates whatever ``FONTCONFIG_FILE`` says),
so exactly that line is taken out of what the render writes to stderr; everything else the
libraries write there (a missing font, a real configuration error) is passed on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

# the one line left out: a newer fontconfig element, unknown to the bundled 2.13.1
FONTCONFIG_NOISE = re.compile(
    rb'Fontconfig warning: "[^"\n]*", line \d+: unknown element "reset-dirs"\r?\n?')


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
        err = without_noise(proc.stderr).decode(errors="replace").strip()
        raise RenderError(err or "dot failed")
    try:
        import pygraphviz
    except ImportError as e:  # pragma: no cover - pygraphviz is a dependency
        raise RenderError("neither the `dot` program nor pygraphviz is available") from e
    try:
        with _stderr_without_noise():
            graph = pygraphviz.AGraph(string=dot_source)
            data = graph.draw(prog="dot", format=fmt)
    except Exception as e:  # pygraphviz raises bare exceptions from the C library
        raise RenderError(f"graphviz could not render the graph: {e}") from e
    if not isinstance(data, bytes):
        raise RenderError("graphviz returned no image")
    return data


def without_noise(data: bytes) -> bytes:
    """``data`` (what Graphviz wrote to stderr) without the lines of :data:`FONTCONFIG_NOISE`."""
    return b"".join(line for line in data.splitlines(keepends=True)
                    if not FONTCONFIG_NOISE.fullmatch(line))


@contextmanager
def _stderr_without_noise() -> Iterator[None]:
    """Collect what the C libraries write to file descriptor 2 while inside, and write it
    back without :data:`FONTCONFIG_NOISE` when done."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no stderr at all: nothing to filter
        yield
        return
    with tempfile.TemporaryFile() as buf:
        os.dup2(buf.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            buf.seek(0)
            kept = memoryview(without_noise(buf.read()))
            while kept:
                kept = kept[os.write(2, kept):]
