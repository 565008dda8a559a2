"""flyte.map.aio with async for."""

import flyte

env = flyte.TaskEnvironment(name="map_aio")


@env.task
async def label(x: int) -> str:
    return f"item-{x}"


@env.task
async def main(n: int) -> list[str]:
    out = []
    async for r in flyte.map.aio(label, range(n)):
        out.append(r)
    return out

# parity: main {"n": 3}
