"""A child's failure that nobody catches fails the run."""

import flyte

env = flyte.TaskEnvironment(name="error_child_uncaught")


@env.task
async def divide(a: int, b: int) -> float:
    return a / b


@env.task
async def main(a: int, b: int) -> float:
    print("dividing")
    return await divide(a, b)

# parity: main {"a": 1, "b": 0}
# parity: main {"a": 1, "b": 4}
