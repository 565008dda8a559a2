"""if/else on task results."""

import flyte

env = flyte.TaskEnvironment(name="conditional")


@env.task
async def classify(x: int) -> str:
    return "big" if x > 10 else "small"


@env.task
async def handle_big(x: int) -> str:
    return f"big handler got {x}"


@env.task
async def handle_small(x: int) -> str:
    return f"small handler got {x}"


@env.task
async def main(x: int) -> str:
    kind = await classify(x)
    if kind == "big":
        result = await handle_big(x)
    else:
        result = await handle_small(x)
    print(kind, "->", result)
    return result

# parity: main {"x": 50}
# parity: main {"x": 5}
