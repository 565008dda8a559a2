"""A sync @flyte.trace helper in a sync task."""

import flyte

env = flyte.TaskEnvironment(name="trace_sync")


@flyte.trace
def normalize(values: list[float]) -> list[float]:
    total = sum(values)
    return [v / total for v in values]


@env.task
def main(values: list[float]) -> list[float]:
    return normalize(values)

# parity: main {"values": [1.0, 3.0]}
