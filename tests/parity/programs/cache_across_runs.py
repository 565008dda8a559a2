"""Cached results are reused by a later run with the same inputs."""

import flyte

env = flyte.TaskEnvironment(name="cache_across_runs")


@env.task(cache="auto")
async def load(day: str) -> int:
    print(f"loading {day}")
    return len(day)


@env.task
async def main(day: str) -> int:
    return await load(day)

# parity: main {"day": "2026-01-01"}
# parity: main {"day": "2026-01-01"}
# parity: main {"day": "2026-01-02"}
