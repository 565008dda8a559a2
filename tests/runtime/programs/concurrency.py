"""Nested fan-out whose leaves report how many leaves were working at the same time."""

# flytec-parity: main --groups 2 --width 3

import asyncio

import flyte

env = flyte.TaskEnvironment(name="conc")
_active = {"now": 0, "peak": 0}


@env.task
async def leaf(i: int) -> int:
    _active["now"] += 1
    _active["peak"] = max(_active["peak"], _active["now"])
    await asyncio.sleep(0.05)
    _active["now"] -= 1
    return i


@env.task
async def group_of(g: int, width: int) -> int:
    return len(await asyncio.gather(*[leaf(g * 100 + i) for i in range(width)]))


@env.task
async def main(groups: int, width: int) -> dict:
    _active["peak"] = 0
    done = await asyncio.gather(*[group_of(g, width) for g in range(groups)])
    return {"done": sum(done), "peak": _active["peak"]}
