"""A task annotated -> str that returns None fails on its output type."""

import flyte

env = flyte.TaskEnvironment(name="output_none_for_str")


@env.task
async def name_of(code: int) -> str:
    names = {1: "one"}
    return names.get(code)  # type: ignore[return-value]


@env.task
async def main(code: int) -> str:
    return await name_of(code)

# parity: main {"code": 1}
# parity: main {"code": 2}
# parity: name_of {"code": 2}
