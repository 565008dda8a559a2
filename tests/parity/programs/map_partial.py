"""flyte.map over a functools.partial that leaves one parameter unbound."""

import functools

import flyte

env = flyte.TaskEnvironment(name="map_partial")


@env.task
def scale(factor: int, offset: int, x: int) -> int:
    return factor * x + offset


@env.task
def affine(x: int, factor: int, offset: int) -> int:
    return factor * x + offset


@env.task
def main(n: int) -> list[int]:
    f = functools.partial(affine, factor=3, offset=1)
    g = functools.partial(scale, 3, 1)
    return list(flyte.map(f, range(n))) + list(flyte.map(g, range(n)))


@env.task
def by_keyword(n: int) -> list[int]:
    # the mapped item is passed positionally, so it would land on `factor`: refused
    f = functools.partial(scale, factor=3, offset=1)
    return list(flyte.map(f, range(n)))


@env.task
def mixed(n: int) -> list[int]:
    # one positional and one keyword binding: the SDK refuses this partial
    f = functools.partial(scale, 3, offset=1)
    return list(flyte.map(f, range(n)))

# parity: main {"n": 4}
# parity: mixed {"n": 4}
# parity: by_keyword {"n": 2}
