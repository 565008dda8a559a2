"""ETL fan-out: extract each day, transform, then load everything (asyncio.gather)."""

# flytec-parity: main --days '["2026-01-01", "2026-01-02"]'

import asyncio
from dataclasses import dataclass

import flyte

env = flyte.TaskEnvironment(name="etl", resources=flyte.Resources(cpu=1, memory="512Mi"))


@dataclass
class DayStats:
    day: str
    rows: int
    total: float


@env.task
async def extract(day: str) -> list[float]:
    seed = sum(ord(c) for c in day)
    return [float((seed * i) % 97) for i in range(1, 11)]


@env.task
async def transform(day: str, values: list[float]) -> DayStats:
    return DayStats(day=day, rows=len(values), total=round(sum(values), 2))


@env.task
async def load(stats: list[DayStats]) -> dict[str, float]:
    return {s.day: s.total for s in stats}


@env.task
async def process_day(day: str) -> DayStats:
    values = await extract(day)
    return await transform(day, values)


@env.task
async def main(days: list[str]) -> dict[str, float]:
    stats = await asyncio.gather(*[process_day(d) for d in days])
    print(f"processed {len(stats)} days")
    return await load(list(stats))
