"""Optional inputs and outputs."""


import flyte

env = flyte.TaskEnvironment(name="io_optional")


@env.task
async def maybe_half(x: int | None) -> float | None:
    if x is None:
        return None
    return x / 2


@env.task
async def main(x: int | None = None) -> list[float | None]:
    return [await maybe_half(x), await maybe_half(4)]

# parity: main {"x": 3}
# parity: main
