"""flyte.durable.now() and time() values, as the SDK returns them."""

import datetime

import flyte
import flyte.durable

env = flyte.TaskEnvironment(name="durable_values")


@env.task
async def main() -> list[str]:
    now = await flyte.durable.now.aio()
    t = await flyte.durable.time.aio()
    await flyte.durable.sleep.aio(0.01)
    fresh = datetime.datetime.now()
    return [
        type(now).__name__,
        str(now.tzinfo),
        type(t).__name__,
        str(abs((fresh - now).total_seconds()) < 60),
    ]


@env.task
def sync_main() -> list[str]:
    now = flyte.durable.now()
    flyte.durable.sleep(0.01)
    return [type(now).__name__, str(now.tzinfo), type(flyte.durable.time()).__name__]

# parity: main
# parity: sync_main
