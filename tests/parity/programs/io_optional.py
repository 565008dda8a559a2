"""Optional inputs and outputs."""

from typing import Optional

import flyte

env = flyte.TaskEnvironment(name="io_optional")


@env.task
async def maybe_half(x: Optional[int]) -> Optional[float]:
    if x is None:
        return None
    return x / 2


@env.task
async def main(x: Optional[int] = None) -> list[Optional[float]]:
    return [await maybe_half(x), await maybe_half(4)]

# parity: main {"x": 3}
# parity: main
