"""Sync tasks calling sync tasks; a sync task via .aio() from async; the blocking-call error."""

# flytec-parity: main --x 3
# flytec-parity: wrong --x 3
# flytec-parity: copies

import asyncio

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="synced")


@env.task
def double(x: int) -> int:
    return 2 * x


@env.task
def chain(x: int) -> int:
    return double(double(x)) + 1


@env.task
async def main(x: int) -> list[int]:
    a, b = await asyncio.gather(chain.aio(x), double.aio(x))
    return [a, b]


@env.task
async def wrong(x: int) -> str:
    try:
        double(x)
    except flyte.errors.SyncTaskCallInAsyncContextError as e:
        return e.code
    return "no error"


@env.task
async def mutate(items: list[int]) -> list[int]:
    items.append(99)
    return items


@env.task
async def copies() -> dict:
    mine = [1, 2]
    out = await mutate(mine)
    out.append(100)
    return {"mine": mine, "out": out}


@env.task
def outside(x: int) -> int:
    return double(x) + 1
