"""The environment's cache setting is inherited; a task may turn it off."""

import flyte

env = flyte.TaskEnvironment(name="cache_env_default", cache="auto")


@env.task
async def inherited(x: int) -> int:
    print(f"inherited {x}")
    return x


@env.task(cache="disable")
async def uncached(x: int) -> int:
    print(f"uncached {x}")
    return x


@env.task(cache="disable")
async def main(x: int) -> int:
    return await inherited(x) + await inherited(x) + await uncached(x) + await uncached(x)

# parity: main {"x": 2}
