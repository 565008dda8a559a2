"""flyte.map with return_exceptions=False raises the first failure."""

import flyte

env = flyte.TaskEnvironment(name="map_raise")


@env.task
def check(x: int) -> int:
    if x == 2:
        raise RuntimeError("two is not allowed")
    return x


@env.task
def main(n: int) -> list[int]:
    return list(flyte.map(check, range(n), return_exceptions=False))

# parity: main {"n": 4}
# parity: main {"n": 2}
