"""Retries with a flaky task (attempts counted in a file), NonRecoverableError, timeouts."""

# flytec-parity: main --fail-times 2
# flytec-parity: main --fail-times 9
# flytec-parity: main_doomed
# flytec-parity: main_catch
# flytec-parity: main_fail
# flytec-parity: bad_call

import asyncio
import os
from datetime import timedelta
from pathlib import Path

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="flaky")


def _bump(name: str) -> int:
    path = Path(os.environ["COUNTER_DIR"]) / name
    n = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(n))
    return n


@env.task(
    retries=flyte.RetryStrategy(
        count=3,
        backoff=flyte.Backoff(base=timedelta(milliseconds=10), factor=2, cap=timedelta(seconds=1)),
    )
)
async def flaky(fail_times: int) -> int:
    n = _bump("flaky")
    if n <= fail_times:
        raise ConnectionError(f"attempt {n} failed")
    return n


@env.task(retries=5)
async def doomed() -> int:
    _bump("doomed")
    raise flyte.errors.NonRecoverableError("bad input, do not retry")


@env.task(timeout=timedelta(milliseconds=200), retries=1)
async def slow() -> str:
    _bump("slow")
    await asyncio.sleep(5)
    return "never"


@env.task
async def main(fail_times: int) -> int:
    return await flaky(fail_times)


@env.task
async def main_doomed() -> str:
    try:
        await doomed()
    except flyte.errors.RuntimeUserError as e:
        return f"{type(e).__name__}:{e.code}"
    return "no error"


@env.task
async def main_slow() -> str:
    try:
        return await slow()
    except flyte.errors.TaskTimeoutError as e:
        return f"timeout:{e.code}"


@env.task
async def boom(x: int) -> int:
    raise KeyError(f"no key {x}")


@env.task
async def main_catch() -> dict:
    try:
        await boom(1)
    except KeyError:
        return {"caught": "KeyError"}
    except flyte.errors.RuntimeUserError as e:
        return {"caught": "RuntimeUserError", "code": e.code}
    return {}


@env.task
async def main_fail() -> int:
    return await boom(7)


@env.task
async def bad_call() -> str:
    try:
        await boom(1, 2)  # one argument too many
    except flyte.errors.RuntimeUserError as e:
        return e.code
    return "no error"
