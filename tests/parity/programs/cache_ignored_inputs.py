"""Cache(ignored_inputs=...): calls differing only there share an entry."""

import flyte

env = flyte.TaskEnvironment(name="cache_ignored_inputs")


@env.task(cache=flyte.Cache(behavior="auto", ignored_inputs=("verbose",)))
async def compute(x: int, verbose: bool = False) -> int:
    print(f"compute {x} verbose={verbose}")
    return x * 3


@env.task
async def main(x: int) -> list[int]:
    return [await compute(x, verbose=False), await compute(x, verbose=True)]

# parity: main {"x": 4}
