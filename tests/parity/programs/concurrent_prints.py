"""Concurrent children that print: the SDK interleaves them, so order is not compared."""
# parity-stdout: unordered

import asyncio

import flyte

env = flyte.TaskEnvironment(name="concurrent_prints")


@env.task
async def worker(i: int) -> int:
    print(f"worker {i} start")
    await asyncio.sleep(0.01 * (3 - i))
    print(f"worker {i} end")
    return i


@env.task
async def main() -> list[int]:
    return list(await asyncio.gather(*[worker(i) for i in range(3)]))

# parity: main
