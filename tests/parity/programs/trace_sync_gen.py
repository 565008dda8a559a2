"""A sync-generator trace."""

import flyte

env = flyte.TaskEnvironment(name="trace_sync_gen")


@flyte.trace
def countdown(n: int):
    while n > 0:
        yield n
        n -= 1


@env.task
def main(n: int) -> list[int]:
    return list(countdown(n))

# parity: main {"n": 3}
