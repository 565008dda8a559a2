"""Cancel a handle from asyncio.create_task and keep going with the others."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="create_task_cancel")


@env.task
async def slow(i: int) -> int:
    await asyncio.sleep(5)
    return i


@env.task
async def quick(i: int) -> int:
    return i + 100


@env.task
async def main() -> list[int]:
    doomed = asyncio.create_task(slow(1))
    kept = asyncio.create_task(quick(2))
    await asyncio.sleep(0)
    doomed.cancel()
    result = [await kept]
    try:
        await doomed
    except asyncio.CancelledError:
        print("cancelled as asked")
        result.append(-1)
    print("cancelled?", doomed.cancelled())
    return result

# parity: main
