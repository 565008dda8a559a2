"""``flyte.map`` (a sync generator) and ``flyte.map.aio`` (an async generator)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from flytec.runtime import mapping
from flytec.runtime.context import CURRENT


def _in_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Mapper:
    def __call__(
        self,
        func: Any,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> Iterator[Any]:
        mapping.unwrap(func)  # TypeError for non-tasks, as the SDK
        ctx = CURRENT.get()
        if ctx is None:
            return self._direct(func, args, return_exceptions)
        if _in_loop():
            return mapping.map_in_loop_thread(args, return_exceptions)
        return mapping.map_blocking(
            ctx.controller,
            func,
            args,
            name=group_name,
            concurrency=concurrency,
            return_exceptions=return_exceptions,
        )

    @staticmethod
    def _direct(func: Any, iterables: tuple, return_exceptions: bool) -> Iterator[Any]:
        for item in zip(*iterables, strict=False):
            try:
                result = func(*item)
                if inspect.isawaitable(result):
                    result = asyncio.run(result)
                yield result
            except Exception as exc:
                if not return_exceptions:
                    raise
                yield exc

    def aio(
        self,
        func: Any,
        *args: Iterable[Any],
        group_name: str | None = None,
        concurrency: int = 0,
        return_exceptions: bool = True,
    ) -> AsyncIterator[Any]:
        mapping.unwrap(func)
        ctx = CURRENT.get()
        if ctx is None:
            return self._direct_aio(func, args, return_exceptions)
        return mapping.map_aio(
            ctx.controller,
            func,
            args,
            name=group_name,
            concurrency=concurrency,
            return_exceptions=return_exceptions,
        )

    @staticmethod
    async def _direct_aio(
        func: Any, iterables: tuple, return_exceptions: bool
    ) -> AsyncIterator[Any]:
        template = func.func if hasattr(func, "func") and hasattr(func, "keywords") else func
        for item in zip(*iterables, strict=False):
            try:
                if template is func:
                    yield await func.aio(*item)
                else:
                    result = func(*item)
                    yield (await result) if inspect.isawaitable(result) else result
            except Exception as exc:
                if not return_exceptions:
                    raise
                yield exc


map = _Mapper()
