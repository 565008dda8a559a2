"""A failure inside gather propagates; return_exceptions=True collects it instead."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="error_gather")


@env.task
async def maybe(x: int) -> int:
    if x == 1:
        raise ArithmeticError("one is bad")
    return x


@env.task
async def collect(n: int) -> list[str]:
    results = await asyncio.gather(*[maybe(i) for i in range(n)], return_exceptions=True)
    return [type(r).__name__ if isinstance(r, BaseException) else str(r) for r in results]


@env.task
async def strict(n: int) -> list[int]:
    return list(await asyncio.gather(*[maybe(i) for i in range(n)]))

# parity: collect {"n": 3}
# parity: strict {"n": 3}
