"""Non-deterministic drivers.

A driver task's child actions are identified by a hash of (task, inputs,
call order, group). When the driver is retried or recovered, it re-runs from
the top and expects to launch the *same* children with the *same* inputs, so
it can reattach to the ones already running or finished. Anything that makes
the driver choose differently on re-execution -- wall clock, randomness,
uuids, environment, set iteration order -- breaks that and re-runs or
duplicates work. Fix: wrap the non-deterministic call in ``@flyte.trace`` (its
result is recorded and replayed), use ``flyte.durable.now()``, or sort.

Markers: the ``BUG(...)`` comment sits on the line where the non-deterministic value
enters the driver; the value then flows into a task input or a branch. The
``*_ok`` drivers at the bottom are the correct versions and must not be flagged.
"""

# flytec-example: check-only

import asyncio
import os
import random
import uuid
from datetime import datetime

import flyte
import flyte.durable

from buggy import helpers
from buggy.helpers import partition_for_today, traced_partition_for_today

env = flyte.TaskEnvironment(name="buggy_nondeterminism", resources=flyte.Resources(cpu=1, memory="500Mi"))


@env.task
async def export_partition(table: str, partition: str) -> int:
    return len(table) + len(partition)


@env.task
async def full_scan(table: str) -> int:
    return 1000


@env.task
async def sample_scan(table: str, fraction: float) -> int:
    return int(1000 * fraction)


@env.task
async def tag_batch(table: str, batch_id: str) -> str:
    return f"{table}:{batch_id}"


@env.task
async def count_rows(table: str) -> int:
    return len(table)


@env.task
async def merge_counts(tables: list[str], counts: list[int]) -> dict[str, int]:
    return dict(zip(tables, counts))


# --- direct sources -------------------------------------------------------------


@env.task
async def export_today(table: str) -> int:
    partition = datetime.now().strftime("%Y-%m-%d")  # BUG(nondeterministic-input): wall clock feeds a sub-task input; a retry after midnight exports a different partition
    return await export_partition(table, partition)


@env.task
async def maybe_sample(table: str) -> int:
    if random.random() < 0.1:  # BUG(nondeterministic-branch): random draw decides which task runs; a recovered driver may take the other branch
        return await sample_scan(table, 0.1)
    return await full_scan(table)


@env.task
async def tag_with_uuid(table: str) -> str:
    batch_id = uuid.uuid4().hex  # BUG(nondeterministic-input): new uuid on every driver attempt -> a new child action each time
    return await tag_batch(table, batch_id)


@env.task
async def export_region(table: str) -> int:
    region = os.environ["HOSTNAME"]  # BUG(nondeterministic-input): the pod's hostname (set per pod by Kubernetes) decides the sub-task input: a retried driver runs in a new pod and launches a new child action
    return await export_partition(table, region)


@env.task
async def count_unique_tables(tables: list[str]) -> dict[str, int]:
    unique = list(set(tables))  # BUG(nondeterministic-order): set iteration order of str varies between processes (hash seed), so merge_counts gets differently ordered inputs
    counts = await asyncio.gather(*[count_rows(t) for t in unique])
    return await merge_counts(unique, list(counts))


# --- through a helper in another module -------------------------------------------


@env.task
async def export_today_via_helper(table: str) -> int:
    partition = partition_for_today()  # BUG(nondeterministic-input): helper reads the wall clock (buggy/helpers.py)
    return await export_partition(table, partition)


@env.task
async def maybe_sample_via_helper(table: str) -> int:
    if helpers.should_sample(0.1):  # BUG(nondeterministic-branch): helper draws from the global RNG (buggy/helpers.py)
        return await sample_scan(table, 0.1)
    return await full_scan(table)


@env.task
async def tag_via_helper(table: str) -> str:
    return await tag_batch(table, helpers.new_batch_id())  # BUG(nondeterministic-input): helper returns a fresh uuid (buggy/helpers.py)


# --- correct versions: must NOT be flagged ------------------------------------------


@flyte.trace
async def draw_sample_decision(rate: float) -> bool:
    return random.random() < rate


@flyte.trace
async def new_batch_id() -> str:
    return uuid.uuid4().hex


@env.task
async def export_today_ok(table: str) -> int:
    now = await flyte.durable.now.aio()  # OK: durable clock, replayed on retry
    return await export_partition(table, now.strftime("%Y-%m-%d"))


@env.task
async def maybe_sample_ok(table: str) -> int:
    if await draw_sample_decision(0.1):  # OK: the random draw is traced
        return await sample_scan(table, 0.1)
    return await full_scan(table)


@env.task
async def tag_with_uuid_ok(table: str) -> str:
    batch_id = await new_batch_id()  # OK: traced
    return await tag_batch(table, batch_id)


@env.task
async def count_unique_tables_ok(tables: list[str]) -> dict[str, int]:
    unique = sorted(set(tables))  # OK: sorted -> stable order
    counts = await asyncio.gather(*[count_rows(t) for t in unique])
    return await merge_counts(unique, list(counts))


@env.task
async def export_today_via_helper_ok(table: str) -> int:
    partition = await traced_partition_for_today()  # OK: the helper is a trace
    return await export_partition(table, partition)


@env.task
async def maybe_sample_via_helper_ok(table: str) -> int:
    if await helpers.traced_should_sample(0.1):  # OK: the helper is a trace
        return await sample_scan(table, 0.1)
    return await full_scan(table)


@env.task
async def shuffled_exports_ok(tables: list[str], seed: int) -> list[int]:
    order = helpers.seeded_shuffle(tables, seed)  # OK: private RNG seeded from an input
    return list(await asyncio.gather(*[count_rows(t) for t in order]))


@env.task
async def main(tables: list[str]) -> int:
    a = await export_today(tables[0])
    b = await maybe_sample(tables[0])
    c = await export_today_ok(tables[0])
    d = await maybe_sample_ok(tables[0])
    return a + b + c + d


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, tables=["orders", "users"])
    print(r.url)
