"""task.override returns a new task; calling it runs with the new settings."""

import flyte

env = flyte.TaskEnvironment(name="override_settings")
TRIES: list[int] = []


@env.task
async def fragile(x: int) -> int:
    TRIES.append(x)
    if len(TRIES) == 1:
        raise OSError("first try fails")
    return x


@env.task
async def main(x: int) -> list[int]:
    value = await fragile.override(retries=1, short_name="fragile-retry")(x)
    return [value, len(TRIES)]

# parity: main {"x": 5}
