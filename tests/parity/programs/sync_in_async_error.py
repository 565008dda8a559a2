"""A sync task called directly from async code is refused."""

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="sync_in_async_error")


@env.task
def legacy(x: int) -> int:
    return x


@env.task
async def main(x: int) -> str:
    try:
        legacy(x)
    except flyte.errors.SyncTaskCallInAsyncContextError:
        return "use .aio()"
    return "called"

# parity: main {"x": 1}
