"""A wide fan-out of trivial tasks (scale test)."""

# flytec-parity: main --n 20

import asyncio

import flyte

env = flyte.TaskEnvironment(name="fanout")


@env.task
async def leaf(i: int) -> int:
    return i


@env.task
async def main(n: int) -> int:
    return sum(await asyncio.gather(*[leaf(i) for i in range(n)]))
