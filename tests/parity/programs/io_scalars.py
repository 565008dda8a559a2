"""bool, float and int outputs print as Python does."""

import flyte

env = flyte.TaskEnvironment(name="io_scalars")


@env.task
async def is_even(x: int) -> bool:
    return x % 2 == 0


@env.task
async def ratio(a: int, b: int) -> float:
    return a / b


@env.task
async def main(x: int) -> float:
    even = await is_even(x)
    print("even?", even)
    return await ratio(x, 4)

# parity: main {"x": 6}
# parity: is_even {"x": 3}
# parity: ratio {"a": 4, "b": 2}
