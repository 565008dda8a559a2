"""The root task raises: the run fails with the SDK's error class."""

import flyte

env = flyte.TaskEnvironment(name="error_root")


@env.task
async def main(x: int) -> int:
    if x > 3:
        raise ValueError(f"x too large: {x}")
    return x

# parity: main {"x": 10}
# parity: main {"x": 1}
