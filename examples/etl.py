"""ETL pipeline: extract per day, transform, load (the flagship example).

* Two environments: a small ``etl_driver`` that only orchestrates, and a
  bigger ``etl_worker`` (more CPU/memory, its own image) that does the work.
  The driver ``depends_on`` the worker so both are deployed together.
* Extract fans out one action per day with ``asyncio.gather`` over a list
  comprehension; the (simulated) source is flaky, so ``extract`` has retries
  and a timeout.
* Transform uses ``flyte.map.aio`` with bounded concurrency and fails fast
  (``return_exceptions=False``); ``transform`` is cached, so re-running with an
  overlapping set of days only transforms the new days.
* A plain ``if`` on task outputs decides whether there is anything to load.
* Cheap glue (filtering, summing) happens in the driver between task calls.
* ``flyte.group`` labels each phase in the UI.

The source data is generated deterministically from the date string, so the
example runs offline and always gives the same answer.
"""

# flytec-example: run main --days '["2026-01-01", "2026-01-02", "2026-01-03"]'
# flytec-expect: {"days_loaded": 2, "orders": 13, "revenue": 3445.56, "best_day": "2026-01-03", "table": "sales_daily"}

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta

import flyte

worker_env = flyte.TaskEnvironment(
    name="etl_worker",
    resources=flyte.Resources(cpu=2, memory="4Gi"),
    image=flyte.Image.from_debian_base(python_version=(3, 12)),
)

driver_env = flyte.TaskEnvironment(
    name="etl_driver",
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    depends_on=[worker_env],
)

REGIONS = ("emea", "amer", "apac")  # read-only constant


@dataclass
class Order:
    order_id: str
    day: str
    region: str
    amount_cents: int


@dataclass
class DailySales:
    day: str
    orders: int
    revenue_cents: int
    top_region: str


@dataclass
class LoadReport:
    days_loaded: int
    orders: int
    revenue: float
    best_day: str
    table: str


def _fake_source(day: str) -> list[Order]:
    """Deterministic stand-in for a database query: holidays have no orders."""
    d = date.fromisoformat(day)
    if (d.month, d.day) == (1, 1):
        return []
    n = 3 + d.toordinal() % 5
    return [
        Order(
            order_id=f"{day}-{i:03d}",
            day=day,
            region=REGIONS[(d.toordinal() + i) % len(REGIONS)],
            amount_cents=1_000 + (d.toordinal() * (i + 7)) % 50_000,
        )
        for i in range(n)
    ]


@worker_env.task(retries=3, timeout=timedelta(minutes=5))
async def extract(day: str) -> list[Order]:
    """Pull one day of orders from the source system."""
    return _fake_source(day)


@worker_env.task(cache="auto")
async def transform(orders: list[Order]) -> DailySales:
    """Aggregate one day of orders."""
    if not orders:
        return DailySales(day="", orders=0, revenue_cents=0, top_region="")
    by_region: dict[str, int] = {}
    for order in orders:
        by_region[order.region] = by_region.get(order.region, 0) + order.amount_cents
    top_region = max(sorted(by_region), key=lambda region: by_region[region])
    return DailySales(
        day=orders[0].day,
        orders=len(orders),
        revenue_cents=sum(o.amount_cents for o in orders),
        top_region=top_region,
    )


@worker_env.task(retries=2)
async def load(rows: list[DailySales], table: str) -> LoadReport:
    """Write the daily rows to the warehouse (simulated) and report."""
    best = max(rows, key=lambda row: (row.revenue_cents, row.day))
    return LoadReport(
        days_loaded=len(rows),
        orders=sum(row.orders for row in rows),
        revenue=sum(row.revenue_cents for row in rows) / 100,
        best_day=best.day,
        table=table,
    )


@driver_env.task
async def main(days: list[str], table: str = "sales_daily") -> LoadReport:
    with flyte.group("extract"):
        batches = await asyncio.gather(*[extract(day) for day in days])

    with flyte.group("transform"):
        daily = [row async for row in flyte.map.aio(transform, batches, concurrency=4, return_exceptions=False)]

    active = [row for row in daily if row.orders > 0]
    if not active:
        return LoadReport(days_loaded=0, orders=0, revenue=0.0, best_day="", table=table)

    with flyte.group("load"):
        return await load(active, table)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, days=["2026-01-01", "2026-01-02", "2026-01-03"])
    print(r.name)
    print(r.url)
