"""Driver statements run for their side effects: prints, asserts, helpers writing files.

A static run executes them as effect nodes of the plan, in program order: the driver's
stdout is the same as that of its body (``--dynamic``), and a failing ``assert`` fails it.
The tasks themselves print nothing, so stdout is the driver's alone.
"""

# flytec-parity: chatty --xs '[3, 1, 2]' --limit 5
# flytec-parity: failing_assert --x 2
# flytec-parity: failing_assert --x 5
# flytec-parity: caught_assert --x 5
# flytec-parity: gathered --xs '[1, 2, 3]'
# flytec-parity: noted --x 2

import asyncio
import os
from pathlib import Path

import flyte

env = flyte.TaskEnvironment(name="side_effects")


@env.task
async def square(x: int) -> int:
    await asyncio.sleep(0.01 * (x % 3))
    return x * x


@env.task
async def risky(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x


def note(line: str) -> None:
    """A plain helper with a side effect: appends to $COUNTER_DIR/notes."""
    with open(Path(os.environ["COUNTER_DIR"]) / "notes", "a") as fh:
        fh.write(line + "\n")


@env.task
async def chatty(xs: list[int], limit: int) -> int:
    """Prints between awaited calls, in loops, arms and handlers."""
    print("start", xs)
    first = await square(xs[0])
    print("first", first)
    ordered = list(xs)
    ordered.sort()
    note(f"sorted {ordered}")
    assert first >= 0, "squares are not negative"
    squares = []
    for x in ordered:
        print("item", x)
        squares.append(await square(x))
        print("squared", x)
    total = sum(squares)
    if total > limit:
        print("over the limit", total, limit)
        total = await square(limit)
    else:
        print("within the limit")
    try:
        print("trying", -first)
        await risky(-first)
        print("not reached")
    except Exception as e:
        print("caught", type(e).__name__)
    for x in ordered:
        print("no task", x)
    print("end", total)
    return total


@env.task
async def failing_assert(x: int) -> int:
    y = await square(x)
    print("before the assert", y)
    assert y < 10, f"{y} is too big"
    print("after the assert")
    return await square(y)


@env.task
async def caught_assert(x: int) -> str:
    y = await square(x)
    try:
        assert y < 10, f"{y} is too big"
        outcome = "small"
    except AssertionError as e:
        print("caught:", e)
        outcome = "big"
    print("outcome", outcome)
    return outcome


@env.task
async def gathered(xs: list[int]) -> list[int]:
    coros = [square(x) for x in xs]
    print("gathering", len(xs))
    results = await asyncio.gather(*coros)
    print("gathered", results)
    del coros
    return list(results)


@env.task
async def noted(x: int) -> int:
    """Side effects a cluster can see (a file), around a branch: for the Argo lowering too."""
    note("start")
    y = await square(x)
    note(f"squared {y}")
    if y > 10:
        note("big")
        y = y + await square(0)
    else:
        note("small")
    assert y != 49, "no sevens"
    z = await square(y)
    note(f"end {z}")
    return z
