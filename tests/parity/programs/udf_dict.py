"""Tasks called through a dict of tasks."""

import flyte

env = flyte.TaskEnvironment(name="udf_dict")


@env.task
async def add_one(x: int) -> int:
    return x + 1


@env.task
async def negate(x: int) -> int:
    return -x


OPS = {"add_one": add_one, "negate": negate}


@env.task
async def main(x: int, ops: list[str]) -> int:
    for name in ops:
        x = await OPS[name](x)
    return x

# parity: main {"x": 3, "ops": ["add_one", "negate", "add_one"]}
