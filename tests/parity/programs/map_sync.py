"""flyte.map from a sync driver: results in input order."""

import flyte

env = flyte.TaskEnvironment(name="map_sync")


@env.task
def double(x: int) -> int:
    return 2 * x


@env.task
def main(n: int) -> list[int]:
    out = list(flyte.map(double, range(n)))
    print(out)
    return out

# parity: main {"n": 5}
