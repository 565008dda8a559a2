"""Whole-program passes stay linear: the hot spots issue 11 removed, counted, not timed.

Each test builds a project large enough that a per-task or per-function rebuild of a
whole-program structure would show as thousands of extra calls, and counts the calls of the
function that used to be rebuilt. A count, unlike a time bound, neither flakes on a slow
machine nor lets a quadratic back in on a fast one.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from flytec.analyzer.check import check_paths
from flytec.analyzer.dataflow import taint
from flytec.analyzer.rules.deploy import missing_dependency
from flytec.config import Config
from flytec.model.program import Program
from tests.conftest import write_project

MODULES = 60
TASKS_PER_MODULE = 5


def _module(i: int) -> str:
    """Module i: its own environment (no depends_on) and tasks calling module i+1's tasks,
    so that every call is a FLY604 finding that looks for a covering root."""
    nxt = (i + 1) % MODULES
    lines = [
        "import time",
        "import flyte",
        f"from pkg import m{nxt}",
        f'env{i} = flyte.TaskEnvironment(name="env-{i}")',
        "def helper(x: int) -> int:",
        "    def inner(y: int) -> int:",
        "        return y + int(time.time())",
        "    return inner(x)",
    ]
    for t in range(TASKS_PER_MODULE):
        lines += [
            f"@env{i}.task",
            f"async def t{t}(x: int) -> int:",
            f"    return await m{nxt}.t{t}(x=helper(x))",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    files = {"pkg/__init__.py": ""}
    files.update({f"pkg/m{i}.py": _module(i) for i in range(MODULES)})
    write_project(tmp_path, files)
    return tmp_path


def _count(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, calls: Counter[Any],
           key: Any = None) -> None:
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[key(*args) if key else name] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


def test_environment_closures_are_computed_once_per_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[Any] = Counter()
    _count(monkeypatch, missing_dependency, "depends_closure", calls, key=lambda _p, env: env)
    _count(monkeypatch, Program, "closure", calls, key=lambda _p, module: module)
    result = check_paths([project], Config(), cwd=project)
    found = [d for d in result.diagnostics if d.code == "FLY604"]
    assert len(found) == MODULES * TASKS_PER_MODULE  # every call looked for a covering root
    per_env = [n for k, n in calls.items() if str(k).startswith("pkg.")]
    assert per_env, calls
    assert max(per_env) == 1, calls.most_common(3)  # once each, not once per call site


def test_the_taint_engine_indexes_each_module_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: Counter[str] = Counter()
    original = taint.TaintEngine._by_qualname

    def counted(self: taint.TaintEngine, module: str) -> Any:
        if module not in self._qualnames:
            built[module] += 1
        return original(self, module)

    monkeypatch.setattr(taint.TaintEngine, "_by_qualname", counted)
    check_paths([project], Config(), cwd=project)
    assert len(built) >= MODULES, built  # every module's functions were walked
    assert max(built.values()) == 1, built.most_common(3)
