"""A partial that leaves two parameters unbound: the SDK refuses it."""

import functools

import flyte

env = flyte.TaskEnvironment(name="map_partial_bad")


@env.task
def add3(a: int, b: int, c: int) -> int:
    return a + b + c


@env.task
def main(n: int) -> list[int]:
    f = functools.partial(add3, 1)
    return list(flyte.map(f, range(n)))

# parity: main {"n": 2}
