"""Error handling: recover from bad data and out-of-memory failures.

* A child task's exception does not reach the parent as its original Python
  type: it arrives as ``flyte.errors.RuntimeUserError`` whose ``.code`` is the
  original class name (``"ValueError"``). So the driver catches
  ``RuntimeUserError`` and checks ``.code``.
* When a task is OOM-killed the parent gets ``flyte.errors.OOMError``. The
  driver retries the same task with more memory via
  ``task.override(resources=...)``.
* ``finally`` always sends a notification, whether the run succeeded or not.

Memory pressure is simulated: ``aggregate`` raises ``OOMError`` itself when
the rows do not fit in the memory it was told it has (4 rows per GiB), the
same error the platform raises for a real OOM kill. That keeps the example
deterministic and runnable locally.
"""

# flytec-example: run main --rows '[5, 3, -1, 8, 2, 7]'
# flytec-expect: {"total": 25, "dropped": 1, "attempts": 2, "memory": "4Gi"}

from dataclasses import dataclass

import flyte
import flyte.errors

env = flyte.TaskEnvironment(
    name="error_recovery",
    resources=flyte.Resources(cpu=1, memory="1Gi"),
)

ROWS_PER_GIB = 4  # simulated memory model


@dataclass
class Outcome:
    total: int
    dropped: int
    attempts: int
    memory: str


@env.task
async def validate(rows: list[int]) -> list[int]:
    """Reject the batch if any row is negative."""
    bad = [row for row in rows if row < 0]
    if bad:
        raise ValueError(f"{len(bad)} negative rows: {bad}")
    return rows


@env.task
async def aggregate(rows: list[int], memory_gib: int = 1) -> int:
    """Sum the rows in memory; OOMs when they do not fit (simulated)."""
    if len(rows) > memory_gib * ROWS_PER_GIB:
        raise flyte.errors.OOMError(
            "OOMKilled", f"{len(rows)} rows do not fit in {memory_gib}Gi"
        )
    return sum(rows)


@env.task
async def notify(message: str) -> str:
    """Send a status message (simulated: just echoes it)."""
    print(message)
    return message


@env.task
async def main(rows: list[int]) -> Outcome:
    dropped = 0
    attempts = 0
    memory = "1Gi"
    status = "failed"
    try:
        try:
            clean = await validate(rows)
        except flyte.errors.RuntimeUserError as e:
            if e.code != "ValueError":
                raise
            clean = [row for row in rows if row >= 0]
            dropped = len(rows) - len(clean)

        try:
            attempts += 1
            total = await aggregate(clean, memory_gib=1)
        except flyte.errors.OOMError:
            attempts += 1
            memory = "4Gi"
            bigger = aggregate.override(resources=flyte.Resources(cpu=1, memory=memory))
            total = await bigger(clean, memory_gib=4)
        status = "succeeded"
    finally:
        await notify(f"aggregation {status} after {attempts} attempt(s)")

    return Outcome(total=total, dropped=dropped, attempts=attempts, memory=memory)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, rows=[5, 3, -1, 8, 2, 7])
    print(r.name)
    print(r.url)
