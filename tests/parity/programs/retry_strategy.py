"""RetryStrategy with a tiny backoff."""

from datetime import timedelta

import flyte

env = flyte.TaskEnvironment(name="retry_strategy")
SEEN: list[int] = []


FAST = flyte.Backoff(base=timedelta(milliseconds=10))


@env.task(retries=flyte.RetryStrategy(count=2, backoff=FAST))
def wobbly(x: int) -> int:
    SEEN.append(x)
    if len(SEEN) < 3:
        raise OSError("not yet")
    return x * 2


@env.task
def main(x: int) -> list[int]:
    return [wobbly(x), len(SEEN)]

# parity: main {"x": 21}
