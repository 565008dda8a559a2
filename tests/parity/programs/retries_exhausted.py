"""Retries exhausted: the last failure is the run's."""

import flyte

env = flyte.TaskEnvironment(name="retries_exhausted")


@env.task(retries=1)
async def always_fails(x: int) -> int:
    print(f"trying {x}")
    raise ValueError(f"cannot handle {x}")


@env.task
async def main(x: int) -> int:
    return await always_fails(x)

# parity: main {"x": 3}
