"""A helper receives the task to call."""

import flyte

env = flyte.TaskEnvironment(name="tasks_as_args")


@env.task
async def square(x: int) -> float:
    return float(x * x)


@env.task
async def halve(x: int) -> float:
    return x / 2


async def apply_all(fn, xs: list[int]) -> list:
    return [await fn(x) for x in xs]


@env.task
async def main(xs: list[int]) -> list[list[float]]:
    return [await apply_all(square, xs), await apply_all(halve, xs)]

# parity: main {"xs": [2, 3]}
