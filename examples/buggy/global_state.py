"""Module-level state shared between tasks.

Every task runs in its own container (or at least its own process), so a
module-level list/dict/counter written by one task is never seen by another.
Locally everything runs in one process, so the bug is invisible until the code
runs on a cluster -- where ``report`` returns 0. With reusable containers it is
worse: state leaks between unrelated runs.

Harmless module-level things (constants, a client that is only read) must not
be flagged.
"""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="buggy_global_state", resources=flyte.Resources(cpu=1, memory="500Mi"))

# --- harmless module-level objects ---------------------------------------------
MAX_BATCH = 100
VALID_REGIONS = ("emea", "amer", "apac")
DEFAULT_WEIGHTS = {"clicks": 0.7, "views": 0.3}  # never mutated


class WarehouseClient:
    def __init__(self, url: str) -> None:
        self.url = url

    def table_uri(self, table: str) -> str:
        return f"{self.url}/tables/{table}"


WAREHOUSE = WarehouseClient("https://warehouse.internal")  # only read

# --- mutable module-level state (the bugs) -----------------------------------------
SEEN_IDS: list[str] = []
FEATURES: dict[str, float] = {}
processed = 0


@env.task
async def ingest(ids: list[str]) -> int:
    for event_id in ids[:MAX_BATCH]:
        SEEN_IDS.append(event_id)  # BUG(global-state-write): module-level list mutated in a task; other tasks' containers never see it
    return len(ids)


@env.task
async def count_seen() -> int:
    return len(SEEN_IDS)  # BUG(global-state-read): reads a list that only another task writes; always empty on a cluster


@env.task
async def compute_feature(name: str, clicks: int, views: int) -> float:
    score = DEFAULT_WEIGHTS["clicks"] * clicks + DEFAULT_WEIGHTS["views"] * views  # OK: read-only constant
    FEATURES[name] = score  # BUG(global-state-write): module-level dict written in a task
    return score


@env.task
async def lookup_feature(name: str) -> float:
    return FEATURES.get(name, 0.0)  # BUG(global-state-read): reads a dict that only another task writes


@env.task
async def process_one(event_id: str) -> str:
    global processed
    processed += 1  # BUG(global-state-write): global counter incremented in a task
    return event_id.upper()


@env.task
async def progress() -> int:
    return processed  # BUG(global-state-read): reads a counter that only another task increments


@env.task
async def table_location(table: str) -> str:
    if table.split("_")[0] not in VALID_REGIONS:  # OK: constant
        table = f"emea_{table}"
    return WAREHOUSE.table_uri(table)  # OK: client only read


@env.task
async def dedupe(ids: list[str]) -> list[str]:
    seen: list[str] = []  # OK: local variable
    for event_id in ids:
        if event_id not in seen:
            seen.append(event_id)
    return seen


@env.task
async def main(ids: list[str]) -> int:
    await ingest(ids)
    for event_id in ids:
        await process_one(event_id)
    await compute_feature("ctr", 10, 100)
    # Locally: len(ids) + len(ids) + 37.0. On a cluster: 0 + 0 + 0.0.
    return await count_seen() + await progress() + int(await lookup_feature("ctr"))


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, ids=["a", "b", "c"])
    print(r.url)
