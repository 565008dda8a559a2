"""A task calling helpers of another project module that call tasks: inlined, their glue runs
in their own module's namespace (`SCALE` and `_label` are not names of this module)."""

# flytec-parity: main --x 2 --xs '[1, 2, 3, 4]'

import flyte
from lib import env as lib_env
from lib import fan, run_twice

env = flyte.TaskEnvironment(name="helpers_flow", depends_on=[lib_env])


@env.task
async def main(x: int, xs: list[int]) -> str:
    twice = await run_twice(x)
    return f"{twice} {await fan(xs)}"
