"""Appending awaited results in a loop."""

import flyte

env = flyte.TaskEnvironment(name="append_awaited")


@env.task
async def value(i: int) -> int:
    return (i % 2) * 3 + 1


@env.task
async def main(n: int) -> list[int]:
    lt = []
    for i in range(n):
        lt.append(await value(i))
    print("lt", lt)
    return lt

# parity: main {"n": 3}
