"""The smallest driver: one task calls another."""

import flyte

env = flyte.TaskEnvironment(name="hello")


@env.task
async def say(name: str) -> str:
    print(f"saying hello to {name}")
    return f"Hello, {name}!"


@env.task
async def main(name: str = "world") -> str:
    greeting = await say(name)
    print(greeting)
    return greeting

# parity: main {"name": "flyte"}
# parity: main
