"""Reusable concurrency > 1 only works for async tasks."""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(
    name="reuse_sync",
    reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60, concurrency=4),
)


@env.task
def resize(width: int) -> int:  # BUG(reuse-concurrency-sync): sync task on a reusable env with concurrency=4 (ValueError at decoration); make it async def
    return width // 2
