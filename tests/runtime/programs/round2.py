"""Constructs of the compiler's second round (issue 16), each static, each run both ways by
tests/runtime/test_static_parity.py (the plan must do what the body does); the compiler's
tests (tests/compiler/test_round2.py) check that each is static and how.
"""

# flytec-parity: guarded_fanout --n 3
# flytec-parity: guarded_fanout --n 0
# flytec-parity: guarded_by_length --n 4
# flytec-parity: guarded_by_length --n 1
# flytec-parity: coroutine_awaited_in_a_branch --x 5
# flytec-parity: coroutine_awaited_in_a_branch --x 1
# flytec-parity: with_custom_context --tag t1
# flytec-parity: bounded_by_a_semaphore --n 5
# flytec-parity: bounded_by_a_nested_helper --n 4
# flytec-parity: most_at_once --n 6
# flytec-parity: bounded_by_an_input --prompts '[1, 2, 3, 4, 5]' --max_concurrent 2
# flytec-parity: carried_draft --rounds 3
# flytec-parity: carried_draft --rounds 0
# flytec-parity: last_value_after --items '[1, 2, 3]'
# flytec-parity: carried_in_branches --n 4
# flytec-parity: glue_fails_before_a_print --n 2
# flytec-parity: glue_fails_before_a_print --n 0
# flytec-parity: launched_then_gathered --parts '[[1, 2], [], [3]]'
# flytec-parity: launched_then_gathered --parts '[[], []]'
# flytec-parity: counted_every_item --parts '[[1], [2, 3]]'
# flytec-parity: filtered_and_guarded --xs '[1, 5, 7]' --low 4
# flytec-parity: filtered_and_guarded --xs '[1, 2]' --low 4
# flytec-parity: filter_fails_before_the_log --xs '[3, 0, 2]'
# flytec-parity: item_set_on_a_result --xs '[1, 2]'
# flytec-parity: item_set_on_a_result --xs '[]'
# flytec-parity: items_set_around_calls --x 2
# flytec-parity: starred_targets --x 2
# flytec-parity: too_few_for_the_targets --x 2
# flytec-parity: functions_defined_in_the_body --x 2
# flytec-parity: keyed_in_a_loop --xs '[1, 2, 3]'

import asyncio

import flyte

env = flyte.TaskEnvironment(name="round2")


@env.task
async def double(x: int) -> int:
    print("double", x)
    return x * 2


@env.task
async def guarded_fanout(n: int) -> list[int]:
    """`if tasks:` reads only the length of the coroutines: the items' length."""
    tasks = [double(i) for i in range(n)]
    results: list[int] = []
    if tasks:
        results = await asyncio.gather(*tasks)
    return results


@env.task
async def guarded_by_length(n: int) -> int:
    tasks = [double(i) for i in range(n)]
    if len(tasks) > 2 and not (len(tasks) > 10):
        return sum(await asyncio.gather(*tasks))
    return -1


@env.task
async def coroutine_awaited_in_a_branch(x: int) -> int:
    """The coroutine runs only where it is awaited: in the `then` arm."""
    pending = double(x)
    if x > 2:
        return await pending
    return 0


@env.task
async def seen() -> str:
    ctx = flyte.ctx()
    return ",".join(f"{k}={v}" for k, v in sorted(ctx.custom_context.items())) if ctx else "-"


@env.task
async def with_custom_context(tag: str) -> list[str]:
    """The calls started inside the block see its keys; the calls outside do not."""
    before = await seen()
    pending = seen()  # created outside, started (awaited) inside: sees the context
    with flyte.custom_context(trace=tag, stage="inner"):
        inside = await seen()
        both = await asyncio.gather(seen(), pending)
        with flyte.custom_context(stage="nested"):
            nested = await seen()
    after = await seen()
    return [before, inside, *both, nested, after]


async def bounded(sem: asyncio.Semaphore, i: int) -> int:
    async with sem:
        return await double(i)


@env.task
async def bounded_by_a_semaphore(n: int) -> list[int]:
    """A semaphore only entered around the calls: the fan-out's concurrency limit."""
    sem = asyncio.Semaphore(2)
    return list(await asyncio.gather(*[bounded(sem, i) for i in range(n)]))


@env.task
async def bounded_by_a_nested_helper(n: int) -> list[int]:
    sem = asyncio.Semaphore(3)

    async def one(i: int) -> int:
        async with sem:
            return await double(i) + 1

    return list(await asyncio.gather(*[one(i) for i in range(n)]))


_active = [0, 0]  # calls of `slow` running now, and the most at once


@env.task
async def slow(i: int) -> int:
    _active[0] += 1
    _active[1] = max(_active[1], _active[0])
    await asyncio.sleep(0.02)
    _active[0] -= 1
    return i


@env.task
async def most_at_once(n: int) -> int:
    """The semaphore's bound holds in the plan too: never more than 2 calls at once."""
    sem = asyncio.Semaphore(2)

    async def one(i: int) -> int:
        async with sem:
            return await slow(i)

    await asyncio.gather(*[one(i) for i in range(n)])
    return _active[1]


@env.task
async def refine(draft: str, i: int) -> str:
    print("refine", i)
    return f"{draft}+{i}"


@env.task
async def carried_draft(rounds: int) -> str:
    """Each iteration reads what the previous one left (the corpus's refine loops)."""
    draft = "v0"
    for i in range(rounds):
        draft = await refine(draft, i)
    return draft


@env.task
async def last_value_after(items: list[int]) -> list[int]:
    """The last iteration's value is used after the loop; a list grows alongside."""
    seen: list[int] = []
    total = 0
    for x in items:
        last = await double(x)
        seen.append(last)
        total = total + last
    print("last", last, "total", total)
    return [*seen, total]


@env.task
async def carried_in_branches(n: int) -> list[int]:
    """What an iteration leaves depends on a branch; a fan-out runs inside each iteration."""
    acc = [1]
    best = 0
    for i in range(n):
        if i % 2:
            acc = [await double(a) for a in acc]
        else:
            acc = acc + [i]
        best = max(best, sum(acc))
    return [*acc, best]


@env.task
async def bounded_by_an_input(prompts: list[int], max_concurrent: int = 2) -> list[int]:
    """The docs' example: the bound is an input."""
    semaphore = asyncio.Semaphore(max_concurrent)

    async def limited_call(p: int) -> int:
        async with semaphore:
            return await slow(p)

    results = await asyncio.gather(*[limited_call(p) for p in prompts])
    return [*results, _active[1]]


@env.task
async def glue_fails_before_a_print(n: int) -> int:
    """The glue before a side effect may raise (here when ``n`` is 0): Python then never
    reaches the ``print``, so the plan starts it after that glue, not as soon as it can
    (found by the generated bodies on 3.13)."""
    doubled = await double(n)
    ratio = doubled // n
    print("reached the print")
    return ratio


@env.task
async def add_all(files: list[int], i: int) -> int:
    print("add_all", i)
    return sum(files) + i


@env.task
async def launched_then_gathered(parts: list[list[int]]) -> int:
    """The corpus's partitioned aggregations: coroutines appended under a condition,
    counted in a log line, then gathered. The count is the items passing the test, known
    before any call runs, so the line comes before the calls, as in Python."""
    coros = []
    for i, files in enumerate(parts):
        if files:
            coros.append(add_all(files, i))
    print(f"launched {len(coros)} partitions")
    results = await asyncio.gather(*coros)
    print(f"all {len(results)} done")
    return sum(results)


@env.task
async def counted_every_item(parts: list[list[int]]) -> int:
    """One coroutine per item of a one-shot iterator (`enumerate`): counted, then gathered."""
    coros = []
    for i, files in enumerate(parts):
        coros.append(add_all(files, i))
    print("launched", len(coros))
    return sum(await asyncio.gather(*coros))


@env.task
async def filtered_and_guarded(xs: list[int], low: int) -> list[int]:
    """The test reads a value set before the loop; the list's truth guards the gather."""
    coros = []
    for x in xs:
        if x > low:
            coros.append(double(x))
    if not coros:
        print("nothing above", low)
        return []
    return list(await asyncio.gather(*coros))


@env.task
async def filter_fails_before_the_log(xs: list[int]) -> int:
    """The test raises for an item (`12 // 0`): in Python before the log line and before
    any call; the plan's count raises first too."""
    coros = []
    for x in xs:
        if 12 // x > 3:
            coros.append(double(x))
    print("launched", len(coros))
    return sum(await asyncio.gather(*coros))


async def doubled_all(xs: list[int]) -> dict[str, list[int]]:
    if not xs:
        return {"results": []}
    return {"results": [await double(x) for x in xs]}


def summary(results: list[int]) -> int:
    print("summary of", results)
    return sum(results)


@env.task
async def item_set_on_a_result(xs: list[int]) -> dict[str, object]:
    """An item set on what a step returned (the corpus's `payload["evaluation"] = ...`):
    the plan changes that value as Python does, it does not lose it."""
    payload: dict[str, object] = dict(await doubled_all(xs))
    payload["evaluation"] = summary(payload["results"])  # type: ignore[arg-type]
    payload["n"] = len(xs)
    print("payload", payload)
    return payload


@env.task
async def items_set_around_calls(x: int) -> dict[str, int]:
    """Items set from glue and from a call's result (before: the plan returned `None`)."""
    d = {"a": await double(x)}
    d["b"] = x + 1
    d["c"] = await double(d["b"])
    return d


@env.task
async def four(x: int) -> list[int]:
    return [x, x + 1, x + 2, x + 3]


@env.task
async def starred_targets(x: int) -> list[int]:
    """Starred targets (before: the starred name was `None` and the names after the star
    took items from the start)."""
    first, *rest = await four(x)
    a, *mid, z = await four(x + 10)
    return [first, *rest, a, z, *mid]


@env.task
async def too_few_for_the_targets(x: int) -> list[int]:
    """Python raises ValueError (not enough values to unpack): so does the plan."""
    a, *mid, y, z = (await four(x))[:2]
    return [a, y, z, *mid]


@env.task
async def functions_defined_in_the_body(x: int) -> list[object]:
    """Functions the body defines and glue calls, one reading a value a call returned and
    one calling the other (before: the plan called `None`)."""
    base = await double(x)

    def add(v: int) -> int:
        print("add", v)
        return v + base

    def twice(v: int) -> int:
        return add(add(v))

    def fmt(v: int) -> str:
        return f"<{v}>"

    print(fmt(base))
    return [twice(await double(3)), add(1), fmt(0)]


@env.task
async def keyed_in_a_loop(xs: list[int]) -> dict[str, int]:
    """Results stored by key, one awaited call per iteration (before: the plan returned
    `None`); the dict is carried from one iteration to the next."""
    results: dict[str, int] = {}
    for x in xs:
        results[f"k{x}"] = await double(x)
    return results
