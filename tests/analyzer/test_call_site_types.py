"""Cheap call-site type checks (FLY204-FLY209)."""

from __future__ import annotations

from tests.conftest import CheckFn

TASKS = """
import dataclasses
from typing import Optional

import flyte

env = flyte.TaskEnvironment(name="t")


@dataclasses.dataclass
class Cfg:
    n: int


@env.task
async def count(path: str) -> str:
    return "1"


@env.task
async def batches(n: int, size: int = 50, *, label: Optional[str] = None) -> list[int]:
    return [n, size]


@env.task
async def ratio(x: float, cfg: Cfg) -> float:
    return x * cfg.n


@env.task
def pair(x: int) -> tuple[int, str]:
    return x, str(x)
"""


def found(check: CheckFn, files: dict[str, str]) -> list[tuple[str, int]]:
    return sorted((d.code, d.span.line) for d in check(files).diagnostics
                  if d.code in {"FLY204", "FLY205", "FLY206", "FLY207", "FLY208", "FLY209"}
                  and d.path.endswith("main.py"))


def test_across_modules_with_alias(check: CheckFn) -> None:
    main = """
import flyte
from tasks import batches as make, count
import tasks as t

env2 = flyte.TaskEnvironment(name="m", depends_on=[t.env])


@env2.task
async def main(path: str, n: int) -> list[int]:
    rows = await count(path)
    a = await make(rows)
    b = await make("10")
    c = await t.batches(n, 1, 2)
    d = await make(size=3)
    e = await make(n, sise=3)
    f = await make(n, n=2)
    g = await make(n, label=None)
    h = await t.ratio(n, t.Cfg(n))
    lo, hi, extra = await t.pair.aio(n)
    return a + b + c + d + e + f + g + [int(h), lo]
"""
    got = found(check, {"tasks.py": TASKS, "main.py": main})
    assert got == [
        ("FLY204", 14), ("FLY204", 15), ("FLY204", 17), ("FLY205", 16),
        ("FLY206", 13), ("FLY207", 12), ("FLY209", 20)]


def test_no_findings_for_unknowns_and_compatible(check: CheckFn) -> None:
    main = """
import flyte
from tasks import batches, ratio, Cfg

env2 = flyte.TaskEnvironment(name="m")


@env2.task
async def main(n: int, x, flag: bool) -> list[int]:
    args = {"n": n}
    a = await batches(**args)
    b = await batches(x)
    c = await batches(flag)
    d = await ratio(n, Cfg(1))
    n2 = str(n)
    n2 = 5
    e = await batches(n2)
    return a + b + c + e + [int(d)]
"""
    assert found(check, {"tasks.py": TASKS, "main.py": main}) == []


def test_raw_dataframe(check: CheckFn) -> None:
    main = """
import pandas as pd

import flyte
from flyte.io import DataFrame

env = flyte.TaskEnvironment(name="df")


@env.task
async def profile(frame: DataFrame) -> int:
    return 1


@env.task
async def main(path: str) -> int:
    df = pd.read_csv(path)
    ref = DataFrame.from_df(df)
    return await profile(df) + await profile(ref)
"""
    assert found(check, {"main.py": main}) == [("FLY208", 19)]
