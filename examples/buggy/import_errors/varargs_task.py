"""Tasks need a fixed, typed signature: no ``*args`` / ``**kwargs``."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="varargs")


@env.task
async def add_all(*values: int) -> int:  # BUG(varargs-task): *args in a task signature (ValueError at decoration)
    return sum(values)
