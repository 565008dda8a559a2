"""Generated projects for the speed benchmarks (written to a directory, never imported).

A project of N modules, as a monorepo looks: 20% Flyte modules (an environment of their own
that depends on a shared one, a few tasks, a driver calling a task of another module), each
importing two other modules (an earlier Flyte module, whose environment its own depends on,
and a plain module); the rest are plain Python
modules (helpers, constants, a dataclass). Deterministic for a given N.
"""

from __future__ import annotations

from pathlib import Path

ENVS = '''import flyte

base = flyte.TaskEnvironment(
    name="base",
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("pandas"),
)
'''

FLYTE_MODULE = '''"""Stage {i}: one slice of the pipeline."""

import asyncio

import flyte

from {pkg}.envs import base
from {pkg}.{other} import {other_task}, {other_env}
from {pkg}.{plain} import scale_{plain_i}, LIMIT_{plain_i}

env_{i} = flyte.TaskEnvironment(
    name="stage-{i}",
    resources=flyte.Resources(cpu=2, memory="2Gi"),
    depends_on=[base, {other_env}],
    cache="auto",
)


@env_{i}.task(retries=2)
async def extract_{i}(day: str, limit: int = 100) -> list[float]:
    return [scale_{plain_i}(float(len(day) * k)) for k in range(min(limit, LIMIT_{plain_i}))]


@env_{i}.task
async def transform_{i}(values: list[float], factor: float = 2.0) -> list[float]:
    return [v * factor for v in values if v > 0]


@env_{i}.task
async def main_{i}(days: list[str]) -> float:
    batches = await asyncio.gather(*[extract_{i}(day=d) for d in days])
    total = 0.0
    for values in batches:
        out = await transform_{i}(values=values)
        total += sum(out)
    total += sum(await {other_task}(values=[total]))
    return total
'''

PLAIN_MODULE = '''"""Helpers {i}."""

from dataclasses import dataclass

LIMIT_{i} = {limit}


@dataclass
class Record{i}:
    key: str
    value: float


def scale_{i}(x: float) -> float:
    return x * {factor} + 1.0


def describe_{i}(r: Record{i}) -> str:
    return f"{{r.key}}={{r.value:.2f}}"
'''


def flyte_indices(n: int) -> list[int]:
    return [i for i in range(n) if i % 5 == 0]


def module_path(root: Path, i: int, pkg: str = "mono") -> Path:
    return root / pkg / f"m{i}.py"


def write_project(root: Path, n: int, pkg: str = "mono", *, declare_dependencies: bool = True
                  ) -> list[Path]:
    """Write the project; returns the Flyte modules' paths. Without
    ``declare_dependencies`` every stage calls another stage's task without depending on its
    environment (a FLY604 finding per Flyte module: the worst case of that rule)."""
    (root / pkg).mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[project]\nname = '{pkg}'\n")
    (root / pkg / "__init__.py").write_text("")
    (root / pkg / "envs.py").write_text(ENVS)
    flyte = flyte_indices(n)
    plain = [i for i in range(n) if i % 5 != 0]
    paths = []
    for k, i in enumerate(flyte):
        # another Flyte module earlier in the project, so environments form no cycle
        other = flyte[(k * 7 + 3) % k] if k else None
        p_i = plain[(k * 13) % len(plain)]
        code = FLYTE_MODULE.format(
            i=i, pkg=pkg, other=f"m{other}", other_task=f"transform_{other}",
            other_env=f"env_{other}", plain=f"m{p_i}", plain_i=p_i,
        )
        if not declare_dependencies:
            code = code.replace(f"depends_on=[base, env_{other}]", "depends_on=[base]")
        if other is None:  # the first stage calls no other stage
            code = code.replace(f"from {pkg}.mNone import transform_None, env_None\n", "")
            code = code.replace("depends_on=[base, env_None]", "depends_on=[base]")
            code = code.replace("    total += sum(await transform_None(values=[total]))\n", "")
        path = module_path(root, i, pkg)
        path.write_text(code)
        paths.append(path)
    for i in plain:
        module_path(root, i, pkg).write_text(
            PLAIN_MODULE.format(i=i, limit=100 + i % 50, factor=1 + i % 7)
        )
    return paths


def write_many_tasks(path: Path, n: int) -> None:
    """One file with ``n`` trivial tasks in one environment."""
    lines = ["import flyte", "", 'env = flyte.TaskEnvironment(name="many")', ""]
    for i in range(n):
        lines += ["", "@env.task", f"def t{i}(x: int) -> int:", "    return x + 1", ""]
    path.write_text("\n".join(lines) + "\n")
