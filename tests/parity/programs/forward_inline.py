"""task.forward runs the body inline, without a new action."""

import flyte

env = flyte.TaskEnvironment(name="forward_inline")


@env.task(cache="auto")
async def add(a: int, b: int) -> int:
    print(f"add {a} {b}")
    return a + b


@env.task
async def main(a: int) -> int:
    x = await add.forward(a, 1)
    y = await add.forward(a, 1)
    return x + y

# parity: main {"a": 2}
