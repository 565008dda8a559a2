"""Static workflows for the plan executor: readiness, ordering, limits, try/except, resume.

Tasks append ``+name`` / ``-name`` lines to ``$COUNTER_DIR/events`` when they start and end,
so tests can check what overlapped without relying on timing.
"""

# flytec-parity: branches --xs '[1, 5, 2, 9]' --limit 3
# flytec-parity: guarded --x -3
# flytec-parity: guarded --x 3
# flytec-parity: unguarded --x -1
# flytec-parity: gathered --n 4
# flytec-parity: ordered --a 1 --b 5
# flytec-parity: limited_map --n 6

import asyncio
import os
from pathlib import Path

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="static_plan")


def _event(line: str) -> None:
    with open(Path(os.environ["COUNTER_DIR"]) / "events", "a") as fh:
        fh.write(line + "\n")


def _marker(name: str) -> Path:
    return Path(os.environ["COUNTER_DIR"]) / name


@env.task
async def slow_until_marker(x: int) -> int:
    """Finishes only once `dependent` has run: it must not block its start."""
    _event("+slow")
    for _ in range(400):
        if _marker("dependent-ran").exists():
            break
        await asyncio.sleep(0.01)
    else:
        raise TimeoutError("dependent never started while slow was running")
    _event("-slow")
    return x


@env.task
async def quick(x: int) -> int:
    _event(f"+quick-{x}")
    _event(f"-quick-{x}")
    return x + 1


@env.task
async def dependent(x: int) -> int:
    _event("+dependent")
    _marker("dependent-ran").write_text("1")
    _event("-dependent")
    return x * 10


@env.task
async def readiness(a: int, b: int) -> int:
    started = asyncio.create_task(slow_until_marker(a))
    q = await quick(b)
    d = await dependent(q)
    return (await started) + d


@env.task
async def ordered(a: int, b: int) -> int:
    x = await quick(a)
    y = await quick(b)
    return x + y


@env.task
async def busy(i: int) -> int:
    _event(f"+busy-{i}")
    await asyncio.sleep(0.03)
    _event(f"-busy-{i}")
    return i * i


@env.task
async def limited_map(n: int) -> list[int]:
    return [r async for r in flyte.map.aio(busy, range(n), concurrency=2)]


@env.task
async def gathered(n: int) -> int:
    return sum(await asyncio.gather(*[busy(i) for i in range(n)]))


@env.task
async def risky(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x


@env.task
async def fallback(x: int) -> int:
    return -x * 100


@env.task
async def guarded(x: int) -> str:
    try:
        v = await risky(x)
        arm = "body"
    except flyte.errors.RuntimeUserError as e:
        v = await fallback(x)
        arm = f"except:{e.code}"
    return f"{arm}:{v}"


@env.task
async def unguarded(x: int) -> str:
    try:
        v = await risky(x)
    except flyte.errors.OOMError:
        v = 0
    return f"value:{v}"


@env.task
async def branches(xs: list[int], limit: int) -> list[int]:
    out = []
    for x in xs:
        if x > limit:
            out.append(await quick(x))
        else:
            out.append(await dependent(x))
    return out


@env.task
async def wait_for_go(x: int) -> int:
    _event("+wait")
    _marker("waiting").write_text("1")
    while not _marker("go").exists():
        await asyncio.sleep(0.02)
    return x


@env.task
async def resumable(n: int) -> int:
    values = await asyncio.gather(*[quick(i) for i in range(n)])
    total = await wait_for_go(sum(values))
    return total + await quick(total)
