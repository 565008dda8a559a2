"""A driver calls a sub-driver that fans out."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="nested_drivers")


@env.task
async def leaf(x: int) -> int:
    return x + 1


@env.task
async def sub(xs: list[int]) -> int:
    return sum(await asyncio.gather(*[leaf(x) for x in xs]))


@env.task
async def main(groups: list[list[int]]) -> list[int]:
    return list(await asyncio.gather(*[sub(g) for g in groups]))

# parity: main {"groups": [[1, 2], [3], []]}
