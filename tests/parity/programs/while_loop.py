"""A while loop driven by task results."""

import flyte

env = flyte.TaskEnvironment(name="while_loop")


@env.task
async def collatz(x: int) -> int:
    return x // 2 if x % 2 == 0 else 3 * x + 1


@env.task
async def main(x: int) -> list[int]:
    path = [x]
    while x != 1:
        x = await collatz(x)
        path.append(x)
    return path

# parity: main {"x": 6}
