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


def test_hash_is_versioned_and_ignores_docstrings(tmp_path: Path) -> None:
    before = hashes(tmp_path, CODE)
    after = hashes(tmp_path, CODE.replace("    return Row(helper(x))\n",
                                          '    """Wrap it."""\n    return Row(helper(x))\n'))
    assert before == after
    assert all(h.startswith("v2:sha256:") and len(h) == len("v2:sha256:") + 64
               for h in before.values())
    quoted = hashes(tmp_path, CODE.replace('name="h"', "name='h'").replace("x + 1", "x + 0x1"))
    assert quoted["h.leaf"] == before["h.leaf"]


def test_digests_are_kept_between_runs(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='h'\n")
    (tmp_path / "m.py").write_text(CODE)

    def build() -> tuple[dict[str, str], int]:
        result = check_paths([tmp_path / "m.py"], Config(cache=True), cwd=tmp_path)
        assembler = PlanAssembler(result.program, result.project)
        out = {wf.fqn: assembler.plan(wf).source.code_hash
               for wf in extract_all(result.program).values()}
        assembler.hasher.save()
        return out, len(assembler.hasher.forms._used)

    first, used = build()
    files = list((tmp_path / ".flytec_cache" / "code").glob("*.json"))
    assert len(files) == 1 and used >= 4
    second, _ = build()
    assert first == second
    files[0].write_text("not json")  # a broken map is a miss, not an error
    third, _ = build()
    assert third == first
    # a map written by someone else (committed to the repository) cannot change a hash
    import json

    from flytec import cache_trust

    payload = cache_trust.unseal("code-forms", files[0].read_bytes())
    assert payload is not None
    forged = {k: "0" * 64 for k in json.loads(payload)}
    assert forged
    files[0].write_text(json.dumps(forged))
    assert build()[0] == first
