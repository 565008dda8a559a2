"""A union-typed input."""

import flyte

env = flyte.TaskEnvironment(name="io_union")


@env.task
async def describe(v: int | str) -> str:
    return f"{type(v).__name__}:{v}"


@env.task
async def main() -> list[str]:
    return [await describe(3), await describe("three")]

# parity: main
