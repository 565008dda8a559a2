"""asyncio.TaskGroup over task calls."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="task_group")


@env.task
async def inc(x: int) -> int:
    return x + 1


@env.task
async def main(xs: list[int]) -> list[int]:
    async with asyncio.TaskGroup() as tg:
        handles = [tg.create_task(inc(x)) for x in xs]
    return [h.result() for h in handles]

# parity-python: 3.11
# parity: main {"xs": [1, 5, 9]}
