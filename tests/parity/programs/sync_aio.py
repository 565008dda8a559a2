"""An async driver calls a sync task with .aio()."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="sync_aio")


@env.task
def legacy(x: int) -> int:
    return x * 7


@env.task
async def main(n: int) -> list[int]:
    return list(await asyncio.gather(*[legacy.aio(i) for i in range(n)]))

# parity: main {"n": 3}
