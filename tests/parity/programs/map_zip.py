"""flyte.map zips several iterables into positional arguments."""

import flyte

env = flyte.TaskEnvironment(name="map_zip")


@env.task
def join(a: str, b: int) -> str:
    return f"{a}{b}"


@env.task
def main(names: list[str]) -> list[str]:
    return list(flyte.map(join, names, range(len(names))))

# parity: main {"names": ["a", "b", "c"]}
