"""The hostile-input corpus of issue 20 (items 4, 5, 8, 9), as code that writes it.

The files are written by the tests rather than kept in the repository: some are not files at
all (FIFOs, link loops), some have names that are not UTF-8, and the programs hold characters
that would upset editors and linters. Each entry names the failure it once caused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# -------------------------------------------------------------------------- strings (4)

#: the strings hypothesmith found (a lone surrogate, a C1 control) and their relatives: C0
#: controls that drive a terminal, DEL, YAML's line breaks, a bidi override (Trojan Source)
HOSTILE = {
    "surrogate": "\ud800",  # once: UnicodeEncodeError in `graph`, "internal error" in `build`
    "c1": "\x91",  # once: yaml ReaderError in `build --target argo/jobs`
    "escape": "\x1b[2J",  # clears the terminal when printed raw
    "nul": "a\x00b",
    "delete": "\x7f",
    "next-line": "\x85",  # a line break to YAML
    "line-separator": "\u2028",
    "bidi": "\u202e",
    "pair": "\ud83d\ude00",  # two surrogates written as escapes: still not text
}

#: every character of the strings above that must never appear raw in an output
UNSAFE_CHARS = sorted({c for s in HOSTILE.values() for c in s
                       if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u202e"
                       or 0xD800 <= ord(c) <= 0xDFFF})


def _lit(s: str) -> str:
    """A Python literal of ``s`` made of ASCII only (the program file stays plain text)."""
    return ascii(s)


def strings_program() -> str:
    """A workflow whose constants reach every output: task arguments, defaults of the
    workflow's and the task's inputs, an env var value, a group name, a raise message, a
    branch condition, a call graph label, and a finding's message and source line."""
    values = list(HOSTILE.values())
    calls = "\n".join(f"        r{i} = await leaf({_lit(v)})" for i, v in enumerate(values))
    total = " + ".join(f"r{i}" for i in range(len(values)))
    env_value = _lit("".join(values))
    return f'''import flyte

env = flyte.TaskEnvironment(name="hostile", env_vars={{"MODE": {env_value}}})


@env.task
async def leaf(s: str, suffix: str = {_lit(HOSTILE["c1"] + HOSTILE["surrogate"])}) -> str:
    return s + suffix


@env.task
async def main(x: int, tag: str = {_lit(HOSTILE["surrogate"] + HOSTILE["escape"])}) -> str:
    if tag == {_lit(HOSTILE["bidi"])}:
        raise ValueError({_lit(HOSTILE["surrogate"] + HOSTILE["nul"])})
    with flyte.group({_lit("g" + HOSTILE["surrogate"] + HOSTILE["c1"])}):
{calls}
    return {total} + tag


@env.task
async def careless() -> None:
    leaf("\x1b[31m\x91\u202e")  # unawaited: FLY103 quotes it; the line holds raw controls
'''


#: a source line with raw control characters (written into the file as they are)
RAW_CONTROLS = "\x1b[31m\x91\u202e"


# ---------------------------------------------------------------------- files (5)

LEAF = '''import flyte

env = flyte.TaskEnvironment(name="files")


@env.task
async def leaf(x: int) -> int:
    return x


@env.task
async def main(x: int) -> int:
    return await leaf(x)
'''


def special_files(root: Path) -> dict[str, str]:
    """Plant every kind of file that is not a readable ``*.py`` file in ``root``, next to a
    good one; returns ``{name: what the note must say}``. Skips what the OS cannot make."""
    (root / "good.py").write_text(LEAF)
    made: dict[str, str] = {}
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.py")  # once: check, build and graph waited for a writer forever
        made["fifo.py"] = "a FIFO (named pipe), not a regular file"
    os.symlink("loop_b.py", root / "loop_a.py")  # once: RuntimeError formatting the error
    os.symlink("loop_a.py", root / "loop_b.py")
    made["loop_a.py"] = "symbolic link loop"
    made["loop_b.py"] = "symbolic link loop"
    os.symlink("nowhere.py", root / "dangling.py")  # once: "cannot read", exit 2 for all
    made["dangling.py"] = "broken symbolic link (to 'nowhere.py')"
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")  # a folder loop: not followed
    if sys.platform != "darwin":  # macOS refuses names that are not UTF-8
        name = os.fsdecode(b"bad\xff.py")
        (root / name).write_text(LEAF)  # once: UnicodeEncodeError in every command
        made["bad\\udcff.py"] = "its name is not valid UTF-8"
    return made


#: pyproject.toml texts that once crashed every command, or were accepted silently, and the
#: words their one-line error must have
BAD_CONFIGS = [
    ("tool = 3\n", "`tool` must be a table"),
    ("tool = [1, 2]\n", "`tool` must be a table"),
    ("[tool]\nflytec = 3\n", "`tool.flytec` must be a table"),
    ("[tool]\nflytec = 'strict'\n", "`tool.flytec` must be a table"),
    ("[tool.flytec]\ninclude = 3\n", "`include` must be a list of strings"),
    ("[tool.flytec]\nexclude = [1]\n", "`exclude` must be a list of strings"),
    ("[tool.flytec]\nper-file-ignores = 3\n", "`per-file-ignores` must be a table"),
    ("[tool.flytec]\nseverity = []\n", "`severity` must be a table"),
    ("[tool.flytec]\ncache = 'yes'\n", "`cache` must be true or false"),
    ("[tool.flytec]\njobs = 1.5\n", "`jobs` must be a whole number"),
    ("[tool.flytec]\nformat = 3\n", "`format` must be one of"),
    ("[tool.flytec]\nfail-on = [1]\n", "`fail-on` must be one of"),
]


# ------------------------------------------------------------------------- helpers


def flytec(cwd: Path, *args: str, timeout: float = 120,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """A real flytec process, bytes out (an encoding failure must show, not be hidden by a
    lenient decoder). ``timeout`` only turns a hang into a failure."""
    return subprocess.run([sys.executable, "-m", "flytec", *args], cwd=cwd, capture_output=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, check=False)


def assert_no_crash(proc: subprocess.CompletedProcess[bytes], *, codes: tuple[int, ...] = (0, 1)
                    ) -> tuple[str, str]:
    """The process ended normally (no traceback, no internal error); its outputs as text."""
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    assert "internal error" not in err + out, err
    assert proc.returncode in codes, (proc.returncode, err)
    return out, err
