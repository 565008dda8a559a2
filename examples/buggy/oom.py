"""Memory and driver-sizing mistakes (needs pandas; check-only).

Task inputs and outputs of ordinary types (lists, dicts, dataclasses, raw
``pandas.DataFrame`` annotations) are *materialized*: downloaded and turned
into Python objects in whichever container receives them. A small driver that
collects big data from its children will run out of memory, and inline values
are capped at 10 MiB. ``flyte.io.File`` / ``Dir`` / ``DataFrame`` are passed by
reference and only read where they are opened. A driver should orchestrate,
not compute.

The ``*_ok`` tasks are the correct versions and must not be flagged.
"""

# flytec-example: check-only

import asyncio

import pandas as pd

import flyte
from flyte.io import DataFrame, File

image = flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("pandas", "pyarrow")

worker_env = flyte.TaskEnvironment(
    name="buggy_oom_worker",
    image=image,
    resources=flyte.Resources(cpu=4, memory="16Gi"),
)

driver_env = flyte.TaskEnvironment(
    name="buggy_oom_driver",
    image=image,
    resources=flyte.Resources(cpu=1, memory="1Gi"),
    depends_on=[worker_env],
)


# --- worker tasks ------------------------------------------------------------------


@worker_env.task
async def load_day(day: str) -> pd.DataFrame:
    """One day of events (imagine millions of rows)."""
    return pd.DataFrame({"day": [day] * 3, "value": [1.0, 2.0, 3.0]})


@worker_env.task
async def load_day_ref(day: str) -> DataFrame:
    """Same data, returned as an offloaded reference."""
    df = pd.DataFrame({"day": [day] * 3, "value": [1.0, 2.0, 3.0]})
    return DataFrame.wrap_df(df)


@worker_env.task
async def combine(frames: list[DataFrame]) -> DataFrame:
    """Concatenate on a worker sized for it."""
    parts = [await frame.open(pd.DataFrame).all() for frame in frames]
    return DataFrame.wrap_df(pd.concat(parts, ignore_index=True))


@worker_env.task
async def profile(frame: DataFrame) -> int:
    df = await frame.open(pd.DataFrame).all()
    return len(df)


@worker_env.task
async def simulate_prices(n_days: int) -> list[float]:
    return [100.0 + (i % 997) * 0.01 for i in range(1_000_000)]  # BUG(large-inline-output): a million floats returned inline (~8+ MB, near the 10 MiB cap) and materialized by every consumer; write a File instead


@worker_env.task
async def simulate_prices_ok(n_days: int) -> File:
    out = File.new_remote("prices.txt")
    async with out.open("wb") as f:
        for i in range(1_000_000):
            await f.write(f"{100.0 + (i % 997) * 0.01}\n".encode())
    return out  # OK: returned by reference


@worker_env.task
async def mean_price(prices: list[float]) -> float:
    return sum(prices) / len(prices)


@worker_env.task
async def count_errors(log: File) -> int:
    async with log.open("rb") as f:
        content = await f.read()  # BUG(file-read-whole): reads the whole (possibly multi-GB) file into memory; stream it line by line
    return content.count(b"ERROR")


@worker_env.task
def count_errors_ok(log: File) -> int:
    errors = 0
    with log.open_sync("rb") as f:
        for line in f:  # OK: streamed
            errors += b"ERROR" in line
    return errors


@worker_env.task
async def score_one(user_id: str) -> float:
    return len(user_id) / 10


@worker_env.task
def score_one_sync(user_id: str) -> float:
    return len(user_id) / 10


@worker_env.task
async def evaluate(weights: list[float]) -> float:
    return sum(weights)


@worker_env.task
async def fit_weights(n: int) -> list[float]:
    weights = [0.0] * 8
    for i in range(n):
        weights[i % 8] += (i % 7) * 0.5
    return weights


# --- drivers ---------------------------------------------------------------------


@driver_env.task
async def concat_days(days: list[str]) -> pd.DataFrame:
    frames = await asyncio.gather(*[load_day(day) for day in days])
    return pd.concat(frames, ignore_index=True)  # BUG(driver-materializes-data): every day's DataFrame is downloaded into the 1Gi driver and concatenated there


@driver_env.task
async def concat_days_ok(days: list[str]) -> DataFrame:
    frames = await asyncio.gather(*[load_day_ref(day) for day in days])  # OK: references only
    return await combine(list(frames))


@driver_env.task
async def price_report(n_days: int) -> float:
    prices = await simulate_prices(n_days)
    return await mean_price(prices)


@driver_env.task
def score_everyone(user_ids: list[str]) -> float:
    scores = list(flyte.map(score_one_sync, user_ids, return_exceptions=False))  # BUG(unbounded-map): concurrency defaults to 0 = launch every item at once, for an input list of unknown size
    return sum(scores)


@driver_env.task
async def score_everyone_unchecked(user_ids: list[str]) -> float:
    scores = [s async for s in flyte.map.aio(score_one, user_ids, concurrency=32)]  # BUG(map-exceptions-unchecked): return_exceptions defaults to True, so failures come back as exception objects and break sum()
    return sum(scores)


@driver_env.task
async def score_everyone_ok(user_ids: list[str]) -> float:
    total = 0.0
    async for score in flyte.map.aio(score_one, user_ids, concurrency=32):  # OK: bounded and checked
        if isinstance(score, Exception):
            print(f"skipping failed item: {score}")
            continue
        total += score
    return total


@driver_env.task
async def fit_and_evaluate(n: int) -> float:
    frame = await load_day_ref("2026-01-01")
    weights = [0.0] * 8
    for i in range(n * 10_000_000):  # BUG(cpu-in-driver): heavy CPU loop in the driver between awaits; the 1-CPU driver stalls, move it into a worker task
        weights[i % 8] += (i % 7) * 0.5
    await profile(frame)
    return await evaluate(weights)


@driver_env.task
async def fit_and_evaluate_ok(n: int) -> float:
    weights = await fit_weights(n * 10_000_000)  # OK: compute in a worker
    return await evaluate(weights)


@driver_env.task
async def profile_day(day: str) -> int:
    df = await load_day(day)
    return await profile(df)  # BUG(raw-dataframe-arg): a raw pandas.DataFrame passed to a flyte.io.DataFrame parameter fails; wrap it (DataFrame.wrap_df) or pass the reference


@driver_env.task
async def profile_day_ok(day: str) -> int:
    frame = await load_day_ref(day)
    return await profile(frame)  # OK: reference passed through


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(concat_days_ok, days=["2026-01-01", "2026-01-02"])
    print(r.url)
