"""Environment names cannot contain spaces."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="data prep")  # BUG(invalid-env-name): spaces; must match ^[a-z0-9]+([_-][a-z0-9]+)*$ (ValueError at import)


@env.task
async def prep(x: int) -> int:
    return x + 1
