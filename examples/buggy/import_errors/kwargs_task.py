"""Tasks need a fixed, typed signature: no ``**kwargs``."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="kwargs")


@env.task
async def configure(name: str, **options: str) -> str:  # BUG(varargs-task): **kwargs in a task signature (ValueError at decoration)
    return name + ",".join(options)
