"""The README's example output is what flytec prints today."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flytec.cli import cli
from tests.conftest import REPO


def test_readme_example_output_is_current() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ (flytec [^\n]+)\n(.*?)```", text, re.S)
    assert block is not None
    args = shlex.split(block.group(1))[1:]
    old = os.getcwd()
    os.chdir(REPO)
    try:
        r = CliRunner().invoke(cli, [*args, "--no-cache"])
    finally:
        os.chdir(old)
    assert r.output.strip() == block.group(2).strip()


def test_make_demo_prints_no_error_lines(tmp_path: Path) -> None:
    """`make demo` as a new user runs it: exit 0, no `make: ... Error 1 (ignored)` line, and it
    ends by saying how to get `flytec` on PATH. (`BIN` points at a stand-in for `.venv/bin`
    that runs this work tree's flytec, so the test does not create a virtualenv.)"""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "flytec"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m flytec "$@"\n')
    shim.chmod(0o755)
    # Not a sub-make of the `make test` that runs this suite: an inherited MAKELEVEL would make
    # make print "make[1]: Entering directory", which a new user at a shell never sees.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}}
    env["PYTHONPATH"] = str(REPO)
    p = subprocess.run(["make", "demo", f"BIN={bindir}"], cwd=REPO, capture_output=True,
                       text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    out = p.stdout + p.stderr
    assert not [ln for ln in out.splitlines() if ln.startswith("make")], out
    assert "flowchart TD" in p.stdout
    assert "findings expected" in p.stdout
    assert p.stdout.rstrip().splitlines()[-1].startswith(
        "flytec is installed in .venv/: run '. .venv/bin/activate' to put it on PATH")


def test_readme_says_how_to_get_flytec_on_path() -> None:
    """Right after the set-up commands, the README gives the exact commands that put flytec on
    PATH, and the flytec command it shows next works."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.index("make test-quick")
    block = re.search(r"```bash\n(\. \.venv/bin/activate[^\n]*)\n(flytec [^\n]+)\n```",
                      text[setup:])
    assert block is not None
    assert re.search(r"^VENV := \.venv$", (REPO / "Makefile").read_text(), re.M)
    args = shlex.split(block.group(2))[1:]
    old = os.getcwd()
    os.chdir(REPO)
    try:
        r = CliRunner().invoke(cli, [*args, "--no-cache"])
    finally:
        os.chdir(old)
    assert r.exit_code == 1 and "FLY103" in r.output
