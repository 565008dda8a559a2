"""cache="override": every call executes (the entry is written, never read in local mode)."""

import flyte

env = flyte.TaskEnvironment(name="cache_override")


@env.task(cache="override")
async def refresh(x: int) -> int:
    print(f"refreshing {x}")
    return x + 1


@env.task
async def main(x: int) -> list[int]:
    return [await refresh(x), await refresh(x)]

# parity: main {"x": 1}
# parity: main {"x": 1}
