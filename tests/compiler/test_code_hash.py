"""The code hash covers the task and everything it calls in the project."""

from __future__ import annotations

from pathlib import Path

from flytec.analyzer.check import check_paths
from flytec.codegen.plan import PlanAssembler
from flytec.compiler.workflow import extract_all
from flytec.config import Config

CODE = '''
import flyte
from dataclasses import dataclass

env = flyte.TaskEnvironment(name="h")


@dataclass
class Row:
    n: int


def helper(x: int) -> int:
    return x + 1  # HELPER


@env.task
async def leaf(x: int) -> Row:
    return Row(helper(x))


@env.task
async def main(x: int) -> int:
    r = await leaf(x)
    return r.n


@env.task
async def other(x: int) -> int:
    return x
'''


def hashes(tmp_path: Path, code: str) -> dict[str, str]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='h'\n")
    (tmp_path / "m.py").write_text(code)
    result = check_paths([tmp_path / "m.py"], Config(cache=False), cwd=tmp_path)
    assembler = PlanAssembler(result.program, result.project)
    return {wf.fqn: assembler.plan(wf).source.code_hash
            for wf in extract_all(result.program).values()}


def test_helper_change_changes_callers_hashes(tmp_path: Path) -> None:
    before = hashes(tmp_path, CODE)
    after = hashes(tmp_path, CODE.replace("return x + 1  # HELPER", "return x + 2"))
    assert before["h.leaf"] != after["h.leaf"]
    assert before["h.main"] != after["h.main"]  # transitively, through the called task
    assert before["h.other"] == after["h.other"]


def test_comments_and_formatting_do_not_matter(tmp_path: Path) -> None:
    before = hashes(tmp_path, CODE)
    after = hashes(tmp_path, CODE.replace("return x + 1  # HELPER", "return (x+1)"))
    assert before == after


def test_dataclass_change_changes_hash(tmp_path: Path) -> None:
    before = hashes(tmp_path, CODE)
    after = hashes(tmp_path, CODE.replace("    n: int\n", "    n: int\n    m: int = 0\n"))
    assert before["h.leaf"] != after["h.leaf"]
    assert before["h.other"] == after["h.other"]


def test_hash_covers_list(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='h'\n")
    (tmp_path / "m.py").write_text(CODE)
    result = check_paths([tmp_path / "m.py"], Config(cache=False), cwd=tmp_path)
    assembler = PlanAssembler(result.program, result.project)
    wf = extract_all(result.program)["m:main"]
    assert assembler.plan(wf).source.hashed == ["m:Row", "m:helper", "m:leaf", "m:main"]
