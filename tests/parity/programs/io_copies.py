"""Outputs are copies: mutating what a child returned does not change its cached value."""

import flyte

env = flyte.TaskEnvironment(name="io_copies")


@env.task(cache="auto")
async def base() -> list[int]:
    return [1, 2]


@env.task
async def main() -> list[list[int]]:
    a = await base()
    a.append(99)
    b = await base()
    return [a, b]

# parity: main
