"""Coroutines collected into a dict of lists, then gathered one key at a time (issue 16,
flyte-sdk's examples/basics/grouping.py::group_dynamic): each gathered key is a fan-out of
its own, launched at its gather. Run both ways by tests/runtime/test_static_parity.py;
tests/compiler/test_grouped_coroutines.py checks the plans and the forms that stay dynamic.
"""

# flytec-parity: group_dynamic --x 5
# flytec-parity: group_dynamic --x 0
# flytec-parity: one_key_never_gathered --n 4
# flytec-parity: nested_choice --xs '[1, 2, 3, 4, 5, 6]'
# flytec-parity: a_group_fails --n 5
# flytec-parity: a_group_fails --n 2
# flytec-parity: constant_key --n 3
# flytec-parity: gathered_in_an_arm --n 5 --both true
# flytec-parity: gathered_in_an_arm --n 5 --both false

import asyncio
from collections.abc import Coroutine
from typing import Any

import flyte

env = flyte.TaskEnvironment(name="grouped")


@env.task
async def double(x: int) -> int:
    print("double", x)
    return x * 2


@env.task
async def checked(x: int) -> int:
    print("checked", x)
    if x == 3:
        raise ValueError(f"three is not allowed ({x})")
    return x


@env.task
async def total(xs: list[int]) -> int:
    return sum(xs)


@env.task
async def group_dynamic(x: int) -> list[int]:
    vals: dict[str, list[Coroutine[Any, Any, int]]] = {"even": [], "odd": []}
    for x in range(x):  # noqa: B020 (as flyte-sdk's example writes it)
        if x % 2 == 0:
            group = "even"
        else:
            group = "odd"
        vals[group].append(double(x))

    with flyte.group("even-group"):
        o1 = await asyncio.gather(*vals["even"])
    print("evens", o1)
    with flyte.group("odd-group"):
        o2 = await asyncio.gather(*vals["odd"])
    t = await total(o1 + o2)
    return [*o1, *o2, t]


@env.task
async def one_key_never_gathered(n: int) -> list[int]:
    """The "odd" calls are never awaited: they never run."""
    vals = {"even": [], "odd": []}
    for i in range(n):
        if i % 2 == 1:
            k = "odd"
        else:
            k = "even"
        vals[k].append(double(i))
    return list(await asyncio.gather(*vals["even"]))


@env.task
async def nested_choice(xs: list[int]) -> list[int]:
    buckets = {"low": [], "mid": [], "high": []}
    for v in xs:
        b = "mid"
        if v < 3:
            b = "low"
        elif v > 4 and not v == 7:
            b = "high"
        buckets[b].append(double(v))
    high = await asyncio.gather(*buckets["high"])
    low = await asyncio.gather(*buckets["low"])
    mid = await asyncio.gather(*buckets["mid"])
    return [*low, -1, *mid, -1, *high]


@env.task
async def a_group_fails(n: int) -> list[int]:
    vals = {0: [], 1: []}
    for i in range(n):
        if (i + 1) % 2 == 0:
            k = 1
        else:
            k = 0
        vals[k].append(checked(i))
    ones = await asyncio.gather(*vals[1])
    print("ones", ones)
    zeros = await asyncio.gather(*vals[0])
    return [*zeros, *ones]


@env.task
async def constant_key(n: int) -> list[int]:
    vals = {"all": []}
    for i in range(n):
        vals["all"].append(double(i))
    print("before the gather")
    return list(await asyncio.gather(*vals["all"]))


@env.task
async def gathered_in_an_arm(n: int, both: bool) -> list[int]:
    """The odd calls run only when the arm that gathers them runs."""
    vals = {"even": [], "odd": []}
    for i in range(n):
        if i % 2 == 0 or i > 10:
            k = "even"
        else:
            k = "odd"
        vals[k].append(double(i))
    evens = await asyncio.gather(*vals["even"])
    if both:
        odds = await asyncio.gather(*vals["odd"])
        return [*evens, *odds]
    return list(evens)
