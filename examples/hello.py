"""Sync hello world.

Shows the smallest useful Flyte 2 program: one ``TaskEnvironment``, a plain
(synchronous) task, and a synchronous driver task that fans the work out with
``flyte.map``. ``flyte.map`` returns a generator, so the driver wraps it in
``list(...)``; results come back in input order.
"""

# flytec-example: run main --names '["Ada", "Grace", "Linus"]'
# flytec-expect: ["Hello, Ada!", "Hello, Grace!", "Hello, Linus!"]

import flyte

env = flyte.TaskEnvironment(
    name="hello",
    resources=flyte.Resources(cpu=1, memory="250Mi"),
)


@env.task
def say_hello(name: str) -> str:
    """Greet one person."""
    return f"Hello, {name}!"


@env.task
def main(names: list[str]) -> list[str]:
    """Greet everybody, one action per name (at most 8 at a time)."""
    # return_exceptions=False: fail the run on the first failed greeting
    # instead of silently yielding exception objects.
    return list(flyte.map(say_hello, names, concurrency=8, return_exceptions=False))


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, names=["Ada", "Grace", "Linus"])
    print(r.name)
    print(r.url)
