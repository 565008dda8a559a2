"""datetime, date and timedelta values."""

import datetime

import flyte

env = flyte.TaskEnvironment(name="io_datetime")


@env.task
async def next_day(d: datetime.date) -> datetime.date:
    return d + datetime.timedelta(days=1)


@env.task
async def span(hours: int) -> datetime.timedelta:
    return datetime.timedelta(hours=hours)


@env.task
async def main(d: datetime.date) -> str:
    nd = await next_day(d)
    s = await span(3)
    return f"{nd.isoformat()} {s.total_seconds()}"

# parity: main {"d": "2026-02-28"}
