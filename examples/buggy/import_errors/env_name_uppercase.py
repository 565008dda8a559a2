"""Environment names must be snake_case or kebab-case (lower case)."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="DataPrep")  # BUG(invalid-env-name): upper-case letters; must match ^[a-z0-9]+([_-][a-z0-9]+)*$ (ValueError at import)


@env.task
async def prep(x: int) -> int:
    return x + 1
