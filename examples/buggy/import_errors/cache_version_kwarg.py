"""``flyte.Cache`` has no ``version`` argument; it is ``version_override``."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="cache_kwarg")


@env.task(cache=flyte.Cache(behavior="override", version="v2"))  # BUG(cache-unknown-kwarg): Cache(version=...) does not exist, use version_override="v2" (TypeError at import)
async def expensive(x: int) -> int:
    return x * 2
