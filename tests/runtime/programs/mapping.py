"""flyte.map: exceptions come back as values by default; sync map from sync code; misuse."""

# flytec-parity: main --n 7
# flytec-parity: strict --n 5
# flytec-parity: sync_main --n 4
# flytec-parity: misuse --n 3

import functools

import flyte

env = flyte.TaskEnvironment(name="mapping")


@env.task
async def check(x: int) -> int:
    if x % 3 == 0:
        raise ValueError(f"multiple of three: {x}")
    return x * 10


@env.task
async def main(n: int) -> dict:
    ok, failed, codes = [], 0, set()
    async for r in flyte.map.aio(check, range(n), concurrency=2):
        if isinstance(r, Exception):
            failed += 1
            codes.add(type(r).__name__ + ":" + r.code)
        else:
            ok.append(r)
    return {"ok": ok, "failed": failed, "codes": sorted(codes)}


@env.task
async def strict(n: int) -> list[int]:
    return [r async for r in flyte.map.aio(check, range(n), return_exceptions=False)]


@env.task
def add(x: int, y: int) -> int:
    return x + y


@env.task
def sync_main(n: int) -> list[int]:
    return list(flyte.map(functools.partial(add, y=100), range(n)))


@env.task
async def misuse(n: int) -> list[str]:
    # The sync flyte.map inside async code: every item comes back as an AssertionError.
    return [type(r).__name__ for r in flyte.map(add, range(n), range(n))]
