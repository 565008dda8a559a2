"""Fuzzing flytec with generated programs: the harness shared by the test and benchmarks/fuzz.py.

A program from hypothesmith (any syntactically valid Python) is wrapped as Flyte code, at
module level or as the body of a task, and put through the commands that never run user code:
``check`` (SARIF), ``build`` for every target (plans, Argo, Jobs) and ``graph`` (a task's
workflow as JSON, the file's call graph as DOT). Each runs in-process through click's test
runner. A failure is a traceback, an internal error (FLY000 or "internal error" on any
output), an exit code other than 0, 1 or 2, or output that is not valid JSON/YAML.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from click.testing import CliRunner

from flytec.cli import cli

HEADER = '''import asyncio

import flyte

env = flyte.TaskEnvironment(name="fuzz")


@env.task
async def leaf(x: int) -> int:
    return x

'''


def at_module_level(code: str) -> str:
    return (HEADER + "\n" + code + "\n\n@env.task\nasync def main(x: int) -> int:\n"
            "    return await leaf(x)\n")


def in_task_body(code: str) -> str:
    body = textwrap.indent(code if code.strip() else "pass", "    ", lambda _line: True)
    return (HEADER + "\n@env.task\nasync def main(x: int) -> int:\n" + body
            + "\n    return await leaf(x)\n")


WRAPPERS = {"module": at_module_level, "task-body": in_task_body}


@dataclass
class Failure:
    program: str
    command: str
    reason: str


@dataclass
class Tally:
    programs: int = 0
    invocations: int = 0
    failures: list[Failure] = field(default_factory=list)


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


_FLY000 = re.compile(r"FLY000 (error|\[error\])|\"(code|ruleId)\": \"FLY000\"")


def _problems(text: str) -> str | None:
    if "Traceback (most recent call last)" in text:
        return "traceback"
    if _FLY000.search(text) or "internal error" in text.lower():
        return "internal error"
    return None


def _parse_outputs(out: Path) -> str | None:
    for f in sorted(out.rglob("*")):
        if not f.is_file():
            continue
        try:
            text = f.read_text(encoding="utf-8")
            if f.suffix == ".json":
                json.loads(text)
            elif f.suffix in (".yaml", ".yml"):
                list(yaml.safe_load_all(text))
        except Exception as e:  # what a user's tool would choke on
            return f"{f.name} is not valid: {type(e).__name__}: {e}"
    return None


COMMANDS: list[tuple[str, list[str], str]] = [
    # (name, arguments after the file, what the output must be)
    ("check --format json", ["check", "--format", "json", "{file}"], "json"),
    ("build --target argo", ["build", "-q", "-o", "out-argo", "--target", "argo", "{file}"],
     "files"),
    ("build --target jobs", ["build", "-q", "-o", "out-jobs", "--target", "jobs", "{file}"],
     "files"),
    ("graph TASK --format json", ["graph", "{file}::main", "--format", "json"], "json"),
    ("graph FILE", ["graph", "{file}"], "text"),
]


def run_program(source: str | bytes, tally: Tally, root: Path | None = None) -> None:
    """All the commands on one wrapped program (text, or a file's bytes); failures are added
    to ``tally``."""
    tally.programs += 1
    with tempfile.TemporaryDirectory(prefix="flytec-fuzz-", dir=root) as tmp:
        d = Path(tmp)
        (d / "pyproject.toml").write_text("[project]\nname = 'fuzz'\n")
        data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        (d / "prog.py").write_bytes(data)
        runner = CliRunner()
        with _cwd(d):
            for name, args, kind in COMMANDS:
                tally.invocations += 1
                argv = [a.replace("{file}", "prog.py") for a in args]
                r = runner.invoke(cli, argv, catch_exceptions=True)
                reason = None
                if r.exception is not None and not isinstance(r.exception, SystemExit):
                    reason = f"{type(r.exception).__name__}: {r.exception}"
                elif r.exit_code not in (0, 1, 2):
                    reason = f"exit code {r.exit_code}"
                else:
                    reason = _problems(r.output)
                if reason is None and kind == "json" and r.stdout.strip():
                    try:
                        json.loads(r.stdout)
                    except ValueError as e:
                        reason = f"output is not JSON: {e}"
                if reason is None and kind == "files":
                    out = d / argv[argv.index("-o") + 1]
                    if out.exists():
                        reason = _parse_outputs(out)
                if reason is not None:
                    shown = data.decode("utf-8", "backslashreplace")
                    tally.failures.append(Failure(shown, name, reason))
