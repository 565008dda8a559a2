"""`flytec check - --stdin-filename PATH` (an editor's buffer on standard input, reported as
PATH with its project's configuration, never written to the caches) and `flytec check
--watch` (a second report after a file changes; Ctrl-C exits 0), as subprocesses."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import write_project

CLEAN = """\
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def main(x: int) -> int:
    return await double(x)
"""
BUGGY = CLEAN.replace("    return await double(x)", "    double(x)\n    return x")
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def flytec(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flytec", "check", *args], cwd=cwd, env=ENV,
                          input=stdin, capture_output=True, text=True, timeout=120)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write_project(root, {"pkg/__init__.py": "", "pkg/flow.py": CLEAN})
    return root


def test_stdin_is_checked_as_the_named_file(project: Path) -> None:
    got = flytec(project, "-", "--stdin-filename", "pkg/flow.py", "-f", "concise", stdin=BUGGY)
    assert got.returncode == 1, got.stderr
    assert got.stdout.startswith("pkg/flow.py:13:5: FLY103"), got.stdout
    assert (project / "pkg" / "flow.py").read_text() == CLEAN  # nothing written
    # the text report quotes the buffer, not the file on disk
    text = flytec(project, "-", "--stdin-filename", "pkg/flow.py", stdin=BUGGY)
    assert "13 |     double(x)" in text.stdout, text.stdout
    # a file that does not exist yet (a new buffer) is fine too
    new = flytec(project, "-", "--stdin-filename", "pkg/new.py", "-f", "concise", stdin=BUGGY)
    assert new.stdout.startswith("pkg/new.py:13:5: FLY103"), new.stdout


def test_stdin_uses_the_project_config_from_anywhere(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'p'\n\n[tool.flytec]\nignore = ['FLY103']\n")
    got = flytec(project.parent, "-", "--stdin-filename", "proj/pkg/flow.py", stdin=BUGGY)
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert "FLY103" not in got.stdout


def test_stdin_is_an_overlay_never_cached(project: Path) -> None:
    assert flytec(project, ".").returncode == 0  # fills the IR cache and the result index
    cache = project / ".flytec_cache"
    before = sorted(p.relative_to(cache) for p in cache.rglob("*.pickle"))
    got = flytec(project, "-", "--stdin-filename", "pkg/flow.py", stdin=BUGGY)
    assert got.returncode == 1
    assert sorted(p.relative_to(cache) for p in cache.rglob("*.pickle")) == before
    # the disk's file is still clean: the buffer's findings were not remembered for it
    again = flytec(project, "pkg/flow.py", "-f", "concise")
    assert again.returncode == 0, again.stdout


def test_stdin_fix_prints_the_fixed_text(project: Path) -> None:
    got = flytec(project, "-", "--stdin-filename", "pkg/flow.py", "--fix", stdin=BUGGY)
    assert got.stdout == BUGGY.replace("    double(x)\n", "    await double(x)\n")
    assert "fixed 1 finding in 1 file; 0 remaining" in got.stderr, got.stderr
    assert got.returncode == 0
    assert (project / "pkg" / "flow.py").read_text() == CLEAN


@pytest.mark.parametrize(("args", "message"), [
    (["-"], "`-` needs --stdin-filename PATH"),
    (["--stdin-filename", "pkg/flow.py"], "--stdin-filename is for `-`"),
    (["-", "pkg", "--stdin-filename", "pkg/flow.py"], "`-` (standard input) must be the only"),
    (["--watch", "-o", "out.txt"], "--watch prints to the terminal"),
    (["--watch", "--fix"], "--watch and --fix cannot be combined"),
])
def test_bad_usage_is_exit_2(project: Path, args: list[str], message: str) -> None:
    got = flytec(project, *args, stdin="")
    assert got.returncode == 2 and message in got.stderr, got.stderr
    assert "Traceback" not in got.stderr


def _lines(stream: object, into: queue.Queue[tuple[str, str]], name: str) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put((name, line))


def test_watch_checks_again_after_a_change_and_stops_on_ctrl_c(project: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "flytec", "check", "--watch", "-f", "concise"], cwd=project,
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: queue.Queue[tuple[str, str]] = queue.Queue()
    for name, stream in (("out", proc.stdout), ("err", proc.stderr)):
        threading.Thread(target=_lines, args=(stream, lines, name), daemon=True).start()
    seen: list[tuple[str, str]] = []

    def until(text: str, count: int, poke: Callable[[], None] | None = None) -> None:
        deadline = time.monotonic() + 90
        poked = 0.0
        while sum(text in line for _, line in seen) < count:
            now = time.monotonic()
            left = deadline - now
            if left <= 0 or proc.poll() is not None:
                raise AssertionError(f"no {text!r} (#{count}) in {seen}")
            if poke is not None and now - poked > 3:
                poke()  # again, in case the watcher was not yet started the last time
                poked = now
            try:
                seen.append(lines.get(timeout=min(left, 1)))
            except queue.Empty:
                continue

    try:
        until("watching for changes", 1)
        first = [line for name, line in seen if name == "out"]
        until("watching for changes", 2, lambda: (project / "pkg" / "flow.py").write_text(BUGGY))
        second = [line for name, line in seen if name == "out"][len(first):]
        assert any("pkg/flow.py changed; checking again" in line for _, line in seen), seen
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not any("FLY103" in line for line in first), first
    assert any(line.startswith("pkg/flow.py:13:5: FLY103") for line in second), second
