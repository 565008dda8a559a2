"""Handles from asyncio.create_task, awaited one by one."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="create_task_fanout")


@env.task
async def work(i: int) -> int:
    return i * 10


@env.task
async def main(n: int) -> list[int]:
    handles = [asyncio.create_task(work(i)) for i in range(n)]
    out = []
    for h in handles:
        out.append(await h)
    return out

# parity: main {"n": 4}
