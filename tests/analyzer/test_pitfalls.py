"""More Flyte 2 pitfalls: FLY109 map results, FLY110 falsy override, FLY608 reusable override."""

from __future__ import annotations

from tests.conftest import CheckFn

HEAD = """
from functools import partial

import flyte

plain = flyte.TaskEnvironment(name="plain")
warm = flyte.TaskEnvironment(
    name="warm", reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60),
    env_vars={"A": "1"},
)


@plain.task(retries=3, timeout=600)
async def work(x: int) -> int:
    return x


@plain.task
async def bare(x: int, y: int = 0) -> int:
    return x + y


@warm.task
async def hot(x: int) -> int:
    return x
"""


def codes(check: CheckFn, body: str) -> list[tuple[str, int]]:
    src = HEAD + body
    offset = src[: src.index(body)].count("\n")
    return sorted((d.code, d.span.line - offset) for d in check(src).diagnostics
                  if d.code in ("FLY109", "FLY110", "FLY608"))


def test_map_results(check: CheckFn) -> None:
    body = """
@plain.task
async def unchecked(xs: list[int]) -> int:
    total = 0
    async for r in flyte.map.aio(work, xs, concurrency=4):
        total += r
    return total


@plain.task
async def explicit_true(xs: list[int]) -> list[int]:
    return [r async for r in flyte.map.aio(partial(bare, y=1), xs, return_exceptions=True)]


@plain.task
async def checked(xs: list[int]) -> int:
    results = [r async for r in flyte.map.aio(work, xs, concurrency=4)]
    good = [r for r in results if not isinstance(r, Exception)]
    return sum(good)


@plain.task
async def fail_fast(xs: list[int]) -> int:
    return sum([r async for r in flyte.map.aio(work, xs, return_exceptions=False)])


@plain.task
async def discarded(xs: list[int]) -> None:
    [r async for r in flyte.map.aio(work, xs)]
"""
    assert codes(check, body) == [("FLY109", 5), ("FLY109", 12)]


def test_overrides(check: CheckFn) -> None:
    body = """
fast = work.override(timeout=0)


@plain.task
async def main(x: int) -> int:
    a = await work.override(retries=0)(x)
    b = await bare.override(retries=0)(x)
    c = await hot.override(env_vars={"B": "2"})(x)
    d = await hot.override(env_vars={"B": "2"}, reusable="off")(x)
    e = await hot.override(env_vars={})(x)
    f = await work.override(retries=flyte.RetryStrategy(count=0))(x)
    return a + b + c + d + e + f
"""
    assert codes(check, body) == [("FLY110", 2), ("FLY110", 7), ("FLY110", 11),
                                  ("FLY608", 9), ("FLY608", 11)]
