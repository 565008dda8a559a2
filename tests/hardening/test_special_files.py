"""Issue 20, item 5: files that are not readable ``*.py`` files (a FIFO, link loops, a broken
link, a name that is not UTF-8) never hang or crash `check`, `build` or `graph`: each is left
out with a note naming it; and a pyproject.toml value of the wrong type is a one-line
configuration error naming the key (exit 2), never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.hardening.corpus import BAD_CONFIGS, LEAF, assert_no_crash, flytec, special_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and symlinks: POSIX")


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'files'\n")
    return tmp_path, special_files(tmp_path)


@pytest.mark.parametrize(
    "args",
    [["check", "."], ["check", ".", "--no-cache"], ["check", ".", "--format", "json"],
     ["build", ".", "-o", "out"], ["build", ".", "--target", "jobs", "-o", "out"],
     ["graph", "."], ["graph", "good.py::main"]],
)
def test_directory_commands_skip_special_files(planted: tuple[Path, dict[str, str]],
                                               args: list[str]) -> None:
    root, made = planted
    # a FIFO once made every one of these wait forever: the timeout turns a hang into a failure
    out, err = assert_no_crash(flytec(root, *args, timeout=60), codes=(0,))
    notes = [line for line in err.splitlines() if line.startswith("flytec: note:")]
    if args[1] == ".":  # the paths named: every one is reported, once
        assert sorted(notes) == sorted(f"flytec: note: {name}: skipped: {why}"
                                       + (" (no module can have it)" if "UTF-8" in why else "")
                                       for name, why in made.items()), err
    else:  # the project walk for imports: silent, and nothing hangs
        assert notes == []
    if args[0] == "check" and "json" not in args:
        assert "(1 file)" in out
    if args[0] == "build":
        assert "Wrote 2 plans" in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no mkfifo")
def test_a_fifo_named_explicitly_is_skipped_with_a_note(
        planted: tuple[Path, dict[str, str]]) -> None:
    root, _ = planted
    for command in ("check", "build", "graph"):
        out, err = assert_no_crash(flytec(root, command, "fifo.py", timeout=60), codes=(0,))
        assert "flytec: note: fifo.py: skipped: a FIFO (named pipe), not a regular file" in err
        assert "loop_a.py" not in err  # only what was asked about is reported


@pytest.mark.parametrize(("name", "why"), [("loop_a.py", "symbolic link loop"),
                                           ("dangling.py", "broken symbolic link")])
def test_a_broken_path_named_explicitly_is_one_line(planted: tuple[Path, dict[str, str]],
                                                    name: str, why: str) -> None:
    root, _ = planted
    for command in ("check", "build", "graph"):
        proc = flytec(root, command, name, timeout=60)
        _, err = assert_no_crash(proc, codes=(2,))
        assert err.strip().count("\n") == 0 and why in err, err


def test_a_fifo_replacing_a_module_is_not_read(tmp_path: Path) -> None:
    """A module another file imports, turned into a FIFO: the import is simply unresolved."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no mkfifo")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'files'\n")
    (tmp_path / "main.py").write_text("from helpers import x\n" + LEAF)
    os.mkfifo(tmp_path / "helpers.py")
    assert_no_crash(flytec(tmp_path, "check", "main.py", timeout=60), codes=(0,))
    os.mkfifo(tmp_path / "flytec.toml")
    _, err = assert_no_crash(flytec(tmp_path, "check", "main.py", "--config", "flytec.toml",
                                    timeout=60), codes=(2,))
    assert "flytec.toml: not a regular file" in err


@pytest.mark.parametrize(("toml", "words"), BAD_CONFIGS)
@pytest.mark.parametrize("command", ["check", "build", "graph"])
def test_wrong_typed_config_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        toml: str, words: str, command: str) -> None:
    from flytec.cli import cli

    (tmp_path / "pyproject.toml").write_text(toml + "\n[project]\nname = 'cfg'\n")
    (tmp_path / "main.py").write_text(LEAF)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, [command, "main.py"], catch_exceptions=False)
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "pyproject.toml" in lines[0], res.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no mkfifo")
def test_run_never_opens_a_fifo(planted: tuple[Path, dict[str, str]]) -> None:
    root, _ = planted
    os.mkfifo(root / "fifo.plan.json")
    for target in ("fifo.py::main", "fifo.plan.json"):
        proc = flytec(root, "run", "--store", str(root / "store"), target, timeout=60)
        _, err = assert_no_crash(proc, codes=(2,))
        assert "a FIFO (named pipe), not a regular file" in err, err
