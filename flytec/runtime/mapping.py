"""``flyte.map`` inside a run: every item is a child action; results come back in input order."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from flytec.runtime.context import CURRENT, GROUP
from flytec.runtime.controller import Controller

DEADLOCK_MESSAGE = (
    "Deadlock detected: blocking call used in syncify thread flytec-loop when the call is "
    "already in the same thread. This is not allowed, use .aio() if in an async call."
)


def unwrap(func: Any) -> tuple[Any, tuple[Any, ...], dict[str, Any]]:
    """(task template, bound positional args, bound keywords) of a task or a partial of one."""
    if isinstance(func, functools.partial):
        template: Any = func.func
        if not getattr(template, "_flytec_is_task", False):
            raise TypeError("flyte.map needs a task or a functools.partial of a task")
        # the SDK's rule (and words): exactly one parameter left, and none of the first
        # len(args)+1 parameters (the mapped item goes right after the bound ones) by keyword
        params = list(inspect.signature(template.func).parameters)
        unspecified = len(params) - len(func.args) - len(func.keywords or {})
        if unspecified != 1:
            raise TypeError(
                "Partial function must leave exactly one parameter unspecified for mapping. "
                f"Found {unspecified} unspecified parameters in {template.name}, "
                f"params: {dict.fromkeys(params).keys()}"
            )
        for name in params[: len(func.args) + 1]:
            if name in (func.keywords or {}):
                raise TypeError(
                    f"Parameter '{name}' is provided both as positional argument and keyword "
                    f"argument in partial function {template.name}."
                )
        return template, tuple(func.args), dict(func.keywords)
    if not getattr(func, "_flytec_is_task", False):
        raise TypeError(f"flyte.map needs a task, got {type(func).__name__}")
    return func, (), {}


def group_name(template: Any, name: str | None) -> str:
    return f"{template.name}_{name or 'map'}"


async def map_aio(
    controller: Controller,
    func: Any,
    iterables: tuple[Iterable[Any], ...],
    *,
    name: str | None,
    concurrency: int,
    return_exceptions: bool,
) -> AsyncIterator[Any]:
    template, pre_args, keywords = unwrap(func)
    parent = CURRENT.get()
    sem = asyncio.Semaphore(concurrency) if concurrency > 0 else None

    async def one(args: tuple[Any, ...]) -> Any:
        if sem is None:
            return await controller.submit(template, pre_args + args, keywords, parent)
        async with sem:
            return await controller.submit(template, pre_args + args, keywords, parent)

    token = GROUP.set(group_name(template, name))
    try:
        futures = [asyncio.ensure_future(one(args)) for args in zip(*iterables, strict=False)]
    finally:
        GROUP.reset(token)
    try:
        for fut in futures:
            try:
                result = await fut
            except Exception as exc:
                if not return_exceptions:
                    raise
                yield exc
            else:
                yield result
    finally:
        for fut in futures:
            if not fut.done():
                fut.cancel()


async def _collect(agen: AsyncIterator[Any]) -> list[Any]:
    return [item async for item in agen]


def map_blocking(
    controller: Controller,
    func: Any,
    iterables: tuple[Iterable[Any], ...],
    *,
    name: str | None,
    concurrency: int,
    return_exceptions: bool,
) -> Iterator[Any]:
    """``flyte.map`` from a sync task body (a worker thread): fans out on the run's loop."""
    items = [tuple(i) for i in iterables]  # materialise in the caller's thread
    agen = map_aio(
        controller,
        func,
        tuple(items),
        name=name,
        concurrency=concurrency,
        return_exceptions=return_exceptions,
    )
    yield from controller.run_coroutine_blocking(_collect(agen))


def map_in_loop_thread(
    iterables: tuple[Iterable[Any], ...], return_exceptions: bool
) -> Iterator[Any]:
    """Sync ``flyte.map`` called from async code: the SDK's documented misbehaviour.

    Every item comes back as an AssertionError ("Deadlock detected ...") when
    ``return_exceptions`` is true (silently, as values), else the first one is raised.
    """
    for _ in zip(*iterables, strict=False):
        err = AssertionError(DEADLOCK_MESSAGE)
        if not return_exceptions:
            raise err
        yield err
