"""A task with no outputs."""

import flyte

env = flyte.TaskEnvironment(name="io_none_output")


@env.task
async def log(msg: str) -> None:
    print(f"log: {msg}")


@env.task
async def main(msg: str) -> None:
    await log(msg)
    await log(msg.upper())

# parity: main {"msg": "done"}
