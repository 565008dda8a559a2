"""The sync flyte.durable.now() inside async code fails as the SDK's syncify does."""

import flyte
import flyte.durable

env = flyte.TaskEnvironment(name="durable_sync_in_async")


@env.task
async def main() -> str:
    try:
        flyte.durable.now()
    except AssertionError as exc:
        return str(exc).split(":")[0] + ": use .aio()"
    return "no error"

# parity: main
