"""Imports a sibling package from the file's folder."""

import flyte
from parity_helpers.mathx import triple

env = flyte.TaskEnvironment(name="sibling_import")


@env.task
async def tripled(x: int) -> int:
    return triple(x)


@env.task
async def main(x: int) -> int:
    return await tripled(x)

# parity: main {"x": 14}
