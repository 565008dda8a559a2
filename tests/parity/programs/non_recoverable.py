"""NonRecoverableError skips the remaining retries."""

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="non_recoverable")
CALLS: list[int] = []


@env.task(retries=3)
async def validate(x: int) -> int:
    CALLS.append(x)
    if x < 0:
        raise flyte.errors.NonRecoverableError(f"negative input {x}")
    return x


@env.task
async def main(x: int) -> str:
    try:
        await validate(x)
    except flyte.errors.NonRecoverableError as exc:
        return f"gave up after {len(CALLS)} call(s): {exc}"
    return f"ok after {len(CALLS)} call(s)"

# parity: main {"x": -1}
