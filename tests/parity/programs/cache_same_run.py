"""A second identical cache="auto" call in the same run is served from the cache."""

import flyte

env = flyte.TaskEnvironment(name="cache_same_run")


@env.task(cache="auto")
async def expensive(x: int) -> int:
    print(f"computing {x}")
    return x * x


@env.task
async def main(x: int) -> list[int]:
    a = await expensive(x)
    b = await expensive(x)
    c = await expensive(x + 1)
    return [a, b, c]

# parity: main {"x": 7}
