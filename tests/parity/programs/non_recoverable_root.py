"""A NonRecoverableError escaping the run."""

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="non_recoverable_root")


@env.task(retries=2)
async def check(x: int) -> int:
    raise flyte.errors.NonRecoverableError(f"bad record {x}")


@env.task
async def main(x: int) -> int:
    return await check(x)

# parity: main {"x": 9}
