"""Async hello world.

The async flavour of ``hello.py``: ``async def`` tasks, and a driver that
creates one coroutine per name and awaits them together with
``asyncio.gather``. The ``gather`` tells Flyte these child actions are
independent, so they can run in parallel on separate containers. The
``flyte.group`` only labels the fan-out in the UI.
"""

# flytec-example: run main --names '["Ada", "Grace", "Linus"]' --greeting '"Hi"'
# flytec-expect: ["Hi, Ada! (3 letters)", "Hi, Grace! (5 letters)", "Hi, Linus! (5 letters)"]

import asyncio

import flyte

env = flyte.TaskEnvironment(
    name="hello_async",
    resources=flyte.Resources(cpu=1, memory="250Mi"),
)


@env.task
async def greet(name: str, greeting: str) -> str:
    """Greet one person."""
    return f"{greeting}, {name}! ({len(name)} letters)"


@env.task
async def main(names: list[str], greeting: str = "Hello") -> list[str]:
    """Greet everybody concurrently; results keep the input order."""
    with flyte.group("greetings"):
        greetings = await asyncio.gather(*[greet(name, greeting) for name in names])
    return list(greetings)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, names=["Ada", "Grace", "Linus"], greeting="Hi")
    print(r.name)
    print(r.url)
