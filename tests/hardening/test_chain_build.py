"""Building a chain of tasks, each awaiting the previous, does linear work per task.

Issue 20 item 7: a chain of 1,000 tasks took 129 s to build (1,000 independent tasks: 1 s):
the search for recursion ran once per task instead of once per build, and the code hash
walked every task's whole call chain again for each task. The counts below are what grew
with the chain; speed itself is measured by benchmarks/build_chain.py.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from flytec.analyzer.check import check_paths
from flytec.codegen.plan import PlanAssembler
from flytec.codegen.plan import code_hash as code_hash_mod
from flytec.config import Config
from tests.conftest import write_project

# the module, not the function of the same name the package exports
extract_mod = importlib.import_module("flytec.compiler.workflow.extract")

N = 40


def chain(n: int) -> str:
    out = ['import flyte\n\nenv = flyte.TaskEnvironment(name="chain")\n',
           "\n@env.task\nasync def t0(x: int) -> int:\n    return x + 1\n"]
    for i in range(1, n):
        out.append(f"\n@env.task\nasync def t{i}(x: int) -> int:\n"
                   f"    return await t{i - 1}(x) + 1\n")
    return "".join(out)


def _build(tmp_path: Path, code: str) -> dict[str, object]:
    paths = write_project(tmp_path, code)
    result = check_paths(paths, Config(cache=False), cwd=tmp_path)
    workflows = extract_mod.extract_all(result.program)
    assembler = PlanAssembler(result.program, result.project)
    return {wf.fqn: assembler.plan(wf) for wf in workflows.values()}


def test_recursion_search_runs_once_per_build(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = extract_mod.task_cycles

    def counting(*args: object) -> dict[str, list[str]]:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(extract_mod, "task_cycles", counting)
    plans = _build(tmp_path, chain(N))
    assert len(plans) == N
    assert len(calls) == 1  # was once per task: an acyclic program has no cycles ({}), and
    # ``cycles or task_cycles(...)`` recomputed them for every task


def test_code_hash_scans_each_function_once(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[str] = []
    real = code_hash_mod.CodeHasher._classes

    def counting(self: code_hash_mod.CodeHasher, module: str, fn: object) -> list[str]:
        scanned.append(getattr(fn, "name", "?"))
        return real(self, module, fn)  # type: ignore[arg-type]

    monkeypatch.setattr(code_hash_mod.CodeHasher, "_classes", counting)
    plans = _build(tmp_path, chain(N))
    assert len(scanned) == N  # was N*(N+1)/2: each task's whole chain again
    # the hash still covers the whole chain below each task
    top = plans[f"chain.t{N - 1}"]
    assert top.source.hashed == sorted(f"main:t{i}" for i in range(N))  # type: ignore[attr-defined]


def test_cycles_are_still_found(tmp_path: Path) -> None:
    code = chain(3) + (
        "\n@env.task\nasync def ping(x: int) -> int:\n    return await pong(x)\n"
        "\n@env.task\nasync def pong(x: int) -> int:\n    return await ping(x)\n"
        "\n@env.task\nasync def selfish(x: int) -> int:\n    return await selfish(x)\n"
    )
    paths = write_project(tmp_path, code)
    result = check_paths(paths, Config(cache=False), cwd=tmp_path)
    from flytec.compiler.workflow.context import Context

    cycles = extract_mod.task_cycles(result.program, Context(result.program))
    assert cycles == {
        "main:ping": ["`chain.ping` calls `chain.pong` calls `chain.ping`"],
        "main:pong": ["`chain.pong` calls `chain.ping` calls `chain.pong`"],
    }
