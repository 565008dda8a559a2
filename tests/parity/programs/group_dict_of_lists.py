"""Coroutines collected into a dict of lists, then gathered group by group."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="group_dict_of_lists")


@env.task
async def times4(x: int) -> int:
    return x * 4


@env.task
async def main(x: int) -> list[int]:
    pending: dict[str, list] = {}
    for i in range(x):
        pending.setdefault("even" if i % 2 == 0 else "odd", []).append(times4(i))
    results = []
    for name, coros in pending.items():
        with flyte.group(name):
            results.extend(await asyncio.gather(*coros))
    return sorted(results)

# parity: main {"x": 6}
