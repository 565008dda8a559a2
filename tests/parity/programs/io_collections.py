"""Lists, dicts of lists, nested collections."""

import flyte

env = flyte.TaskEnvironment(name="io_collections")


@env.task
async def invert(d: dict[str, list[int]]) -> dict[str, str]:
    return {str(v): k for k, vs in d.items() for v in vs}


@env.task
async def main(d: dict[str, list[int]]) -> list[dict[str, str]]:
    return [await invert(d), {"n": str(len(d))}]

# parity: main {"d": {"a": [1, 2], "b": [3]}}
