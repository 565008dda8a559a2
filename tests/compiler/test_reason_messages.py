"""What a user reads never shows the compiler's internal node ids (``if-0``, ``fanout-query``,
``glue-2``): a dynamic reason names steps as they are written, with their line.

Two checks: every ``reason(...)`` call of the compiler interpolates only source text, names
and descriptions (never a node's id), and every reason produced for the repository's programs
(examples, fixtures, runtime and parity programs, and bodies written here for the reasons
that quote steps) contains none of its workflow's node ids.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from tests.compiler.helpers import REPO, compiled

COMPILER = REPO / "flytec" / "compiler"
PROGRAM_DIRS = [
    REPO / "examples",
    REPO / "tests" / "compiler" / "fixtures",
    REPO / "tests" / "runtime" / "programs",
    REPO / "tests" / "parity" / "programs",
]
#: names that hold node ids in the compiler, and names of its nodes (``node.id``); ``.id`` of
#: anything else is a source name (``ir.Name.id``)
ID_NAMES = frozenset({"nid", "node_id", "cycle", "ids", "joined", "started"})
NODE_NAMES = frozenset({"n", "node", "fan", "loop", "m", "g", "member", "parent", "p"})


def _reason_calls() -> list[tuple[str, int, ast.expr]]:
    out: list[tuple[str, int, ast.expr]] = []
    for path in sorted(COMPILER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and (
                n.func.attr == "reason" and len(n.args) >= 2
            ):
                out.append((path.name, n.lineno, n.args[1]))
    return out


def _holds_an_id(e: ast.expr) -> str | None:
    for x in ast.walk(e):
        if isinstance(x, ast.Attribute) and (
            x.attr in ("node", "parent") or x.attr == "id" and isinstance(x.value, ast.Name)
            and x.value.id in NODE_NAMES
        ):
            return ast.unparse(x)
        if isinstance(x, ast.Name) and x.id in ID_NAMES:
            return x.id
    return None


def test_the_compiler_has_reasons_to_check() -> None:
    assert len(_reason_calls()) >= 30


@pytest.mark.parametrize("file,line,message", _reason_calls(),
                         ids=[f"{f}:{n}" for f, n, _ in _reason_calls()])
def test_no_reason_interpolates_a_node_id(file: str, line: int, message: ast.expr) -> None:
    for x in ast.walk(message):
        if isinstance(x, ast.FormattedValue):
            assert _holds_an_id(x.value) is None, (
                f"{file}:{line}: `{ast.unparse(x.value)}` in a user-facing reason")


# bodies whose reasons quote steps of the workflow (ordering, loop bounds)
QUOTING = '''
import asyncio
import logging
import flyte

env = flyte.TaskEnvironment(name="quoting")
logger = logging.getLogger(__name__)


@env.task
async def count(x: int) -> int:
    return x


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def bound_from_output(x: int) -> list[int]:
    n = await count(x)
    out = []
    for i in range(n):
        out.append(await double(i))
    return out


@env.task
async def logged_before_gather(parts: list[list[int]]) -> list[int]:
    coros = []
    for i, p in enumerate(parts):
        if p:
            half = i // 2  # more than the append in the arm: the count is not glue's
            coros.append(double(half))
    logger.info(f"launched {len(coros)}")
    return await asyncio.gather(*coros)
'''


def _programs(tmp: Path) -> list[Path]:
    out = [p for d in PROGRAM_DIRS for p in sorted(d.rglob("*.py"))
           if "__pycache__" not in p.parts]
    (tmp / "pyproject.toml").write_text("[project]\nname = 'quoting'\n")
    (tmp / "quoting.py").write_text(textwrap.dedent(QUOTING))
    return [*out, tmp / "quoting.py"]


def test_no_reason_shows_a_node_id(tmp_path: Path) -> None:
    seen = 0
    quoted: list[str] = []
    for path in _programs(tmp_path):
        cwd = tmp_path if path.parent == tmp_path else REPO
        workflows, _ = compiled(path, cwd=cwd)
        for wf in workflows.values():
            # ids a user could not have written: with a dash (`if-0`, `glue-2`, `map-tag`)
            ids = [n.id for n in wf.nodes if "-" in n.id]
            for r in wf.reasons:
                seen += 1
                for nid in ids:
                    assert not re.search(rf"(?<![\w.-]){re.escape(nid)}(?![\w-])", r.message), (
                        f"{path.name}::{wf.fqn}: node id `{nid}` in {r.message!r}")
                if "(line " in r.message:
                    quoted.append(r.message)
    assert seen >= 30
    # the quoting bodies are reported with their steps as written
    assert any("the output of `quoting.count` (line " in m for m in quoted), quoted
    assert any("could not order" in m and "`logger.info(" in m for m in quoted), quoted
