"""``flytec graph -f png`` / ``-f svg`` print nothing on stderr (issue 22): the Graphviz
libraries of the pygraphviz wheel bundle fontconfig 2.13.1, which warned about Debian 12's
``conf.avail/05-reset-dirs-sample.conf`` (``unknown element "reset-dirs"``) on every call.
Only that line is left out: anything else the libraries write to stderr still shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flytec.codegen.graph.render import _stderr_without_noise, without_noise
from tests.conftest import REPO

WARNING = (b'Fontconfig warning: "/usr/share/fontconfig/conf.avail/05-reset-dirs-sample.conf",'
           b' line 6: unknown element "reset-dirs"\n')
SAMPLE = Path("/usr/share/fontconfig/conf.avail/05-reset-dirs-sample.conf")


def _fresh(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[bytes]:
    """A new process (fontconfig warns once per process, at its first use), without the
    ``dot`` program on PATH, so the bundled libraries render."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PATH": "/nonexistent"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          timeout=300, check=False)


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<?xml")])
def test_rendering_prints_nothing_on_stderr(fmt: str, magic: bytes, tmp_path: Path) -> None:
    out = tmp_path / f"etl.{fmt}"
    p = _fresh("-m", "flytec", "graph", "examples/etl.py::main", "-f", fmt, "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert p.stderr == b""
    assert out.read_bytes().startswith(magic)


@pytest.mark.skipif(not SAMPLE.is_file(), reason=f"no {SAMPLE} here (not Debian 12)")
def test_the_bundled_libraries_do_print_the_warning_here() -> None:
    """What the test above guards against is real on this machine: pygraphviz alone prints
    the line (so an upgrade of the wheel that stops printing it can drop the filter)."""
    p = _fresh("-c", "import pygraphviz\n"
               "pygraphviz.AGraph(string='digraph { a -> b }').draw(prog='dot', format='png')")
    assert p.returncode == 0, p.stderr
    assert WARNING in p.stderr


def test_only_that_line_is_left_out() -> None:
    other = b'Fontconfig warning: "/etc/fonts/local.conf", line 3: unknown element "blah"\n'
    error = b"Error: <stdin>: syntax error in line 1 near '->'\n"
    assert without_noise(WARNING + other + WARNING + error) == other + error
    assert without_noise(WARNING.rstrip(b"\n")) == b""
    assert without_noise(b"x " + WARNING) == b"x " + WARNING  # a whole line only


def test_what_else_is_written_to_stderr_during_a_render_still_shows(
        capfd: pytest.CaptureFixture[str]) -> None:
    with _stderr_without_noise():
        os.write(2, WARNING + b"Warning: a real problem\n")
    assert capfd.readouterr().err == "Warning: a real problem\n"
