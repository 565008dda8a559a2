"""Fan out with asyncio.gather and reduce."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="gather_squares")


@env.task
async def square(x: int) -> int:
    return x * x


@env.task
async def main(n: int) -> int:
    squares = await asyncio.gather(*[square(i) for i in range(n)])
    print("squares", list(squares))
    return sum(squares)

# parity: main {"n": 6}
# parity: main {"n": 0}
