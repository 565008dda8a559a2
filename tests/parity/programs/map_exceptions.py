"""flyte.map yields failures as exception objects by default."""

import flyte

env = flyte.TaskEnvironment(name="map_exceptions")


@env.task
async def check(x: int) -> int:
    if x % 2:
        raise ValueError(f"odd: {x}")
    return x


@env.task
async def main(n: int) -> list[str]:
    out = []
    async for r in flyte.map.aio(check, range(n)):
        if isinstance(r, Exception):
            out.append(f"{type(r).__name__}/{r.code}: {r}")
        else:
            out.append(str(r))
    return out

# parity: main {"n": 4}
