"""Out-of-memory and driver-pod rules (FLY501-FLY505)."""

from __future__ import annotations

from tests.conftest import CheckFn

HEAD = """
import asyncio

import numpy as np
import pandas as pd

import flyte
from flyte.io import DataFrame, File

env = flyte.TaskEnvironment(name="w", resources=flyte.Resources(cpu=2, memory="2Gi"))


@env.task
async def load(day: str) -> pd.DataFrame:
    return pd.DataFrame({"d": [day]})


@env.task
async def blob(day: str) -> bytes:
    return day.encode()


@env.task
async def small(day: str) -> int:
    return len(day)
"""


def codes(check: CheckFn, body: str, prefix: str = "FLY5") -> list[tuple[str, int]]:
    src = HEAD + body
    offset = src[: src.index(body)].count("\n")
    return sorted((d.code, d.span.line - offset) for d in check(src).diagnostics
                  if d.code.startswith(prefix))


def test_assembly_forms(check: CheckFn) -> None:
    body = """
@env.task
async def a(days: list[str]) -> pd.DataFrame:
    coros = [load(d) for d in days]
    frames = await asyncio.gather(*coros)
    return pd.concat(frames)


@env.task
async def b(days: list[str]) -> bytes:
    parts = []
    for d in days:
        parts.append(await blob(d))
    return b"".join(parts)


@env.task
async def c(days: list[str]) -> int:
    counts = await asyncio.gather(*[small(d) for d in days])
    return sum(counts)
"""
    found = codes(check, body, "FLY501")
    assert found == [("FLY501", 6), ("FLY501", 14)]
    msg = [d.message for d in check(HEAD + body).diagnostics if d.code == "FLY501"][0]
    assert "requests 2Gi" in msg and "per element of `days`" in msg


def test_file_reads(check: CheckFn) -> None:
    body = """
import json


@env.task
def whole(f: File) -> int:
    path = f.download_sync()
    with open(path) as fh:
        text = fh.read()
    return text.count("x")


@env.task
def csv(f: File) -> int:
    return len(pd.read_csv(f.download_sync()))


@env.task
def chunked(f: File) -> int:
    return sum(len(c) for c in pd.read_csv(f.download_sync(), chunksize=1000))


@env.task
async def config(f: File) -> dict[str, int]:
    async with f.open("rb") as fh:
        raw = bytes(await fh.read())
    return json.loads(raw.decode())


@env.task
async def sized(f: File) -> int:
    async with f.open("rb") as fh:
        head = await fh.read(1024)
    return len(head)
"""
    assert codes(check, body, "FLY502") == [("FLY502", 9), ("FLY502", 15)]


def test_large_inline_and_unbounded_map(check: CheckFn) -> None:
    body = """
@env.task
def big() -> list[float]:
    out = [i * 0.5 for i in range(5_000_000)]
    return out


@env.task
def modest() -> list[float]:
    return [i * 0.5 for i in range(10_000)]


@env.task
def fan(days: list[str]) -> list[int]:
    return list(flyte.map(small, sorted(days), return_exceptions=False))


@env.task
def bounded(days: list[str]) -> list[int]:
    return list(flyte.map(small, days, concurrency=8, return_exceptions=False))


@env.task
def fixed() -> list[int]:
    return list(flyte.map(small, ["a", "b"], return_exceptions=False))
"""
    assert codes(check, body) == [("FLY503", 5), ("FLY504", 15)]


def test_cpu_in_driver(check: CheckFn) -> None:
    body = """
def crunch(n: int) -> float:
    return float(np.linalg.norm(np.ones(n)))


@env.task
async def via_helper(day: str, n: int) -> int:
    x = crunch(n)
    return await small(day) + int(x)


@env.task
async def after_last(day: str, n: int) -> float:
    v = await small(day)
    total = 0.0
    for i in range(50_000_000):
        total += i
    return total + v


@env.task
async def leaf(n: int) -> float:
    total = 0.0
    for i in range(50_000_000):
        total += i
    return total
"""
    found = codes(check, body, "FLY505")
    assert found == [("FLY505", 8)]
    d = [d for d in check(HEAD + body).diagnostics if d.code == "FLY505"][0]
    assert "2 CPU" in d.message and d.chain
