"""flyte.group labels the calls made inside it."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="groups")


@env.task
async def step(name: str, i: int) -> str:
    return f"{name}:{i}"


@env.task
async def main(n: int) -> list[str]:
    out = []
    with flyte.group("first"):
        out += await asyncio.gather(*[step("first", i) for i in range(n)])
    with flyte.group("second"):
        out.append(await step("second", 0))
    return out

# parity: main {"n": 3}
