# flytec-parity-skip: the helpers of helpers/flow.py

import asyncio
import logging

import flyte

logger = logging.getLogger("lib")
env = flyte.TaskEnvironment(name="helpers_lib")
SCALE = 3  # a module global of the helper's own module (not defined in flow.py)


@env.task
async def double(x: int) -> int:
    return 2 * x


def _label(values: list[int]) -> str:
    return "/".join(str(v) for v in values)


async def run_twice(x: int) -> int:
    logger.info("running twice")
    a = await double(x)
    return await double(a * SCALE)


async def fan(xs: list[int]) -> str:
    """Its glue (`_label`, `SCALE`) only exists in this module."""
    if len(xs) > SCALE:
        xs = xs[:SCALE]
    got = await asyncio.gather(*[double(x) for x in xs])
    return _label(list(got))
