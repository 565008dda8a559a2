"""Bodies whose static plan once meant something else than the body (issue 18).

Each task is run both ways by tests/runtime/test_static_parity.py: `flytec run` (the plan,
where the compiler can show it is equivalent) and `flytec run --dynamic` (the body). The
`# flytec-parity:` lines below are its cases: TASK and its inputs.
"""

# flytec-parity: buckets_of_coroutines --n 5
# flytec-parity: append_awaited_in_loop --n 3
# flytec-parity: append_awaited --x 3
# flytec-parity: print_a_map --n 3
# flytec-parity: partial_bound_by_keyword --n 2
# flytec-parity: partial_bound_right --n 2
# flytec-parity: tasks_in_a_dict --x 2
# flytec-parity: task_picked_from_a_dict --x 2 --which double
# flytec-parity: task_as_an_input --n 2
# flytec-parity: cancelled_handles --n 2
# flytec-parity: handles_inspected --n 2
# flytec-parity: handles_awaited_in_a_loop --n 3
# flytec-parity: generator_trace --n 3
# flytec-parity: unused_side_effect --x 2
# flytec-parity: global_counter --x 2
# flytec-parity: coroutine_as_an_input --x 1
# flytec-parity: partial_leaving_two --n 2
# flytec-parity: module_state_read --x 3
# flytec-parity: shared_counter --n 3

import asyncio
import functools
from collections.abc import Coroutine
from typing import Any

import flyte

env = flyte.TaskEnvironment(name="parity_cases")
_seen: list[int] = []
calls = 0


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def inc(x: int) -> int:
    return x + 1


@env.task
async def nap(x: int) -> int:
    await asyncio.sleep(0.01)
    return x


@env.task
async def boom(x: int) -> int:
    raise ValueError(f"boom {x}")


@env.task
def label(a: int) -> str:
    return f"n{a}"


@env.task
def tag(name: str, sep: str, batch: str) -> str:
    return f"{name}{sep}{batch}"


@env.task
async def apply(x: int, fn: Any) -> int:
    return await fn(x)


@flyte.trace
async def countdown(n: int):  # an async generator, traced
    for i in range(n, 0, -1):
        yield i


def remember(x: int) -> int:
    """A helper with a side effect (it prints and records)."""
    print("remembered", x)
    _seen.append(x)
    return x


@env.task
async def buckets_of_coroutines(n: int) -> list[int]:
    """Coroutines collected in a dict of lists, then gathered bucket by bucket."""
    buckets: dict[str, list[Coroutine[Any, Any, int]]] = {"even": [], "odd": []}
    for i in range(n):
        key = "even" if i % 2 == 0 else "odd"
        buckets[key].append(double(i))
    evens = await asyncio.gather(*buckets["even"])
    odds = await asyncio.gather(*buckets["odd"])
    return evens + odds


@env.task
async def append_awaited_in_loop(n: int) -> list[int]:
    got = []
    for i in range(n):
        got.append(await inc(i))
    return got


@env.task
async def append_awaited(x: int) -> list[int]:
    """`lst.append(await t())`, not in a loop: the appends are statements of their own."""
    got = []
    got.append(await inc(x))
    got.append(await double(x))
    got.append(await inc(x))
    return got


@env.task
def print_a_map(n: int) -> int:
    print(list(flyte.map(label, range(n))))
    return n


@env.task
def partial_bound_by_keyword(n: int) -> str:
    """The items go by position to `name`, which the partial binds by keyword: TypeError."""
    wrong = functools.partial(tag, name="a", sep="-")
    try:
        return ",".join(flyte.map(wrong, [str(i) for i in range(n)]))
    except TypeError:
        return "TypeError"


@env.task
def partial_bound_right(n: int) -> str:
    right = functools.partial(tag, "a", "-")
    return ",".join(flyte.map(right, [str(i) for i in range(n)]))


@env.task
async def tasks_in_a_dict(x: int) -> list[int]:
    ops = {"inc": inc, "double": double}
    out = []
    for _name, fn in ops.items():
        out.append(await fn(x))
    return out


@env.task
async def task_picked_from_a_dict(x: int, which: str) -> int:
    ops = {"inc": inc, "double": double}
    return await ops[which](x)


@env.task
async def task_as_an_input(n: int) -> list[int]:
    handles = [asyncio.create_task(apply(i, inc)) for i in range(n)]
    return list(await asyncio.gather(*handles))


@env.task
async def cancelled_handles(n: int) -> int:
    handles = []
    for i in range(n):
        handles.append(asyncio.create_task(nap(i)))
    try:
        await boom(n)
    except Exception:
        for h in handles:
            h.cancel()
        return -1
    return 0


@env.task
async def handles_inspected(n: int) -> list[bool]:
    handles = [asyncio.create_task(nap(i)) for i in range(n)]
    await asyncio.gather(*handles)
    out = []
    for h in handles:
        await inc(1)
        out.append(h.done())
    return out


@env.task
async def handles_awaited_in_a_loop(n: int) -> list[int]:
    """Only awaited: the plan's items (the results) are what the body gets."""
    handles = [asyncio.create_task(nap(i)) for i in range(n)]
    out = []
    for h in handles:
        out.append(await inc(await h))
    return out


@env.task
async def generator_trace(n: int) -> list[int]:
    out = []
    async for v in countdown(n):
        out.append(v)
    return out


@env.task
async def unused_side_effect(x: int) -> int:
    y = await double(x)
    unused = remember(y)  # noqa: F841 - its value is not read, its effect is seen
    print("seen", _seen[-1:])
    return y


@env.task
async def global_counter(x: int) -> int:
    global calls
    y = await double(x)
    calls = calls + y
    print("calls", calls)
    return y


@env.task
async def coroutine_as_an_input(x: int) -> str:
    try:
        return str(await apply(x, inc(x)))
    except Exception as e:  # the task gets a coroutine, not an int
        return type(e).__name__


@env.task
def partial_leaving_two(n: int) -> str:
    """Two parameters left unbound: the SDK's map refuses the partial (TypeError)."""
    short = functools.partial(tag, "a")
    try:
        return ",".join(flyte.map(short, [str(i) for i in range(n)]))
    except TypeError as e:
        return f"TypeError: {str(e)[:40]}"


@env.task
def record(x: int) -> int:
    _seen.append(x)
    return x


@env.task
def module_state_read(x: int) -> list[int]:
    """`len(_seen)` reads what `record` (run in this process) appended: program order."""
    before = len(_seen)
    return [before, record(x), len(_seen) - before, record(x + 1), len(_seen) - before]


async def count_one(x: int, counter: dict[str, int]) -> int:
    y = await double(x)
    counter["n"] += 1
    return y


@env.task
async def shared_counter(n: int) -> list[int]:
    """The items change a dict they all share (in a helper): each sees the others' changes."""
    counter = {"n": 0}
    ys = await asyncio.gather(*[count_one(i, counter) for i in range(n)])
    return [*ys, counter["n"]]
