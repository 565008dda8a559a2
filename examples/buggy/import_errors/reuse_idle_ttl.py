"""``ReusePolicy.idle_ttl`` must be at least 30 seconds."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(
    name="reuse_short_ttl",
    reusable=flyte.ReusePolicy(replicas=2, idle_ttl=10),  # BUG(reuse-idle-ttl): idle_ttl below the 30 s minimum (ValueError at import)
)


@env.task
async def ping(x: int) -> int:
    return x
