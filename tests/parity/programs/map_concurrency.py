"""flyte.map with a concurrency limit and a group name."""

import flyte

env = flyte.TaskEnvironment(name="map_concurrency")


@env.task
async def cube(x: int) -> int:
    return x ** 3


@env.task
async def main(n: int) -> int:
    total = 0
    async for r in flyte.map.aio(cube, range(n), concurrency=2, group_name="cubes"):
        total += r
    return total

# parity: main {"n": 5}
