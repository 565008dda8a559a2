"""``@flyte.trace``: inside a run, results are journaled and replayed on resume."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from flytec.runtime.context import CURRENT


def trace(func: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            ctx = CURRENT.get()
            if ctx is None or ctx.in_trace:
                return await func(*args, **kwargs)
            return await ctx.controller.trace_async(func, args, kwargs, ctx)

        async_wrapper._flytec_trace = True  # type: ignore[attr-defined]
        return async_wrapper

    if inspect.isasyncgenfunction(func) or inspect.isgeneratorfunction(func):
        # Streaming traces run as they are (their items are not journaled).
        return func

    @functools.wraps(func)
    def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = CURRENT.get()
        if ctx is None or ctx.in_trace:
            return func(*args, **kwargs)
        return ctx.controller.trace_sync(func, args, kwargs, ctx)

    async def aio(*args: Any, **kwargs: Any) -> Any:
        return sync_wrapper(*args, **kwargs)

    sync_wrapper.aio = aio  # type: ignore[attr-defined]
    sync_wrapper._flytec_trace = True  # type: ignore[attr-defined]
    return sync_wrapper
