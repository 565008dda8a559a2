"""``flyte.durable``: time that replays — ``now()``, ``time()`` and ``sleep()`` are traced.

As in the SDK, ``now()`` is ``datetime.now()`` (naive, local time), and the sync forms called
from async code fail with the SDK's "Deadlock detected" ``AssertionError`` (use ``.aio()``).
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import time as _time

from flyte._trace import trace


@trace
def _now() -> _dt.datetime:
    return _dt.datetime.now()


@trace
def _time_() -> float:
    return _time.time()


@trace
def _sleep_until(deadline: float) -> float:
    return deadline


class _Durable:
    def __init__(self, sync, aio) -> None:
        self._sync = sync
        self.aio = aio

    def __call__(self, *args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._sync(*args, **kwargs)
        raise AssertionError(
            "Deadlock detected: blocking call used in syncify thread flyte_syncify when calling "
            f"function {self._sync!r}, use .aio() if in an async call."
        )


async def _now_aio() -> _dt.datetime:
    return _now()


async def _time_aio() -> float:
    return _time_()


def _sleep_sync(seconds: float) -> None:
    deadline = _sleep_until(_time_() + seconds)
    remaining = deadline - _time.time()
    if remaining > 0:
        _time.sleep(remaining)


async def _sleep_aio(seconds: float) -> None:
    deadline = _sleep_until(_time_() + seconds)
    remaining = deadline - _time.time()
    if remaining > 0:
        await asyncio.sleep(remaining)


now = _Durable(_now, _now_aio)
time = _Durable(_time_, _time_aio)
sleep = _Durable(_sleep_sync, _sleep_aio)

__all__ = ["now", "sleep", "time"]
