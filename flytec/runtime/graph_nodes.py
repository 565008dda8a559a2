"""What each kind of plan node does once its inputs are ready (containers: ``graph.py``).

Task calls go to the controller as children of the root action, exactly as the task's body
would have submitted them (same ids, caching, retries, journaling); glue code, conditions and
``raise`` run in the module's namespace with the node's inputs as globals, as documented in
``docs/plan-format.md``.
"""

from __future__ import annotations

import ast
import asyncio
import contextvars
import functools
import importlib
import inspect
from typing import TYPE_CHECKING, Any

from flytec.model.plan import Node
from flytec.runtime.context import GROUP
from flytec.runtime.mapping import group_name, map_in_loop_thread

if TYPE_CHECKING:
    from flytec.runtime.graph import GraphRun


def split_outputs(node: Node, result: Any) -> dict[str, Any]:
    """``-> tuple[A, B]`` has outputs o0, o1; one output holds the whole result."""
    names = node.outputs or ["o0"]
    if len(names) > 1 and isinstance(result, (tuple, list)) and len(result) == len(names):
        return dict(zip(names, result, strict=True))
    return {names[0]: result}


def _namespace(run: GraphRun, inputs: dict[str, Any], node: Node | None = None
               ) -> dict[str, Any]:
    ns = dict(run.prepared.namespaces.get(node.id, run.globals) if node else run.globals)
    ns.update(inputs)
    return ns


class AsyncList(list[Any]):
    """The results of ``flyte.map.aio``: a list that ``async for`` can also iterate."""

    async def _items(self) -> Any:
        for item in list(self):
            yield item

    def __aiter__(self) -> Any:
        return self._items()


def _code(run: GraphRun, node: Node, text: str, mode: str) -> Any:
    """Compiled once per node; ``await`` / ``async for`` allowed at the top level, as in the
    task's async body."""
    key = (node.id, text, mode)
    code = run.compiled.get(key)
    if code is None:
        code = compile(text, f"<flytec plan {node.id}>", mode,
                       flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        run.compiled[key] = code
    return code


async def _run_code(code: Any, ns: dict[str, Any]) -> Any:
    value = eval(code, ns)
    if code.co_flags & inspect.CO_COROUTINE:
        value = await value
    return value


async def glue(run: GraphRun, node: Node, inputs: dict[str, Any]) -> dict[str, Any]:
    ns = _namespace(run, inputs, node)
    code = node.code or "None"
    if node.mode == "exec":
        await _run_code(_code(run, node, code, "exec"), ns)
        return {name: ns[name] for name in node.outputs if name in ns}
    value = await _run_code(_code(run, node, code, "eval"), ns)
    if node.awaits and inspect.isawaitable(value):
        value = await value
    return split_outputs(node, value)


async def condition(run: GraphRun, node: Node, inputs: dict[str, Any]) -> Any:
    return await _run_code(_code(run, node, node.condition or "False", "eval"),
                           _namespace(run, inputs, node))


async def raise_(
    run: GraphRun, node: Node, inputs: dict[str, Any], caught: BaseException | None
) -> None:
    if node.reraise or not node.exception or node.exception == "raise":
        if caught is None:
            raise RuntimeError("No active exception to reraise")
        raise caught
    text = node.exception.removeprefix("raise ").strip()
    exc = await _run_code(_code(run, node, text, "eval"), _namespace(run, inputs, node))
    if isinstance(exc, type) and issubclass(exc, BaseException):
        exc = exc()
    if not isinstance(exc, BaseException):
        raise TypeError("exceptions must derive from BaseException")
    raise exc


async def _in_thread(run: GraphRun, func: Any, kwargs: dict[str, Any]) -> Any:
    """A sync body of a sync driver: in the controller's thread pool, as the driver would."""
    loop = asyncio.get_running_loop()
    ctx = contextvars.copy_context()
    call = functools.partial(ctx.run, func, **kwargs)
    return await loop.run_in_executor(run.controller.threads, call)


async def call(run: GraphRun, node: Node, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``task``, ``remote`` and ``trace`` nodes."""
    if node.kind == "trace":
        func = run.prepared.functions[node.id]
        if inspect.iscoroutinefunction(func) or run.prepared.driver_async:
            result = func(**kwargs)
        else:
            result = await _in_thread(run, func, kwargs)
    elif node.kind == "remote":
        remote = importlib.import_module("flyte.remote")
        result = remote.LazyEntity(node.task or "").aio(**kwargs)
    else:
        template = run.prepared.tasks[node.id]
        is_async = inspect.iscoroutinefunction(template.func)
        if node.forward:
            if is_async or run.prepared.driver_async:
                result = template.forward(**kwargs)
            else:
                result = await _in_thread(run, template.forward, kwargs)
        elif run.prepared.driver_async and not is_async and not node.aio:
            result = template(**kwargs)  # the SDK's SyncTaskCallInAsyncContextError
        else:
            result = await run.controller.submit(template, (), kwargs, run.parent)
    if inspect.isawaitable(result):
        result = await result
    return split_outputs(node, result)


async def map_(
    run: GraphRun, node: Node, iterables: list[Any], fixed: dict[str, Any]
) -> dict[str, Any]:
    """``flyte.map``: one child action per zipped item, under the node's concurrency."""
    template = run.prepared.tasks[node.id]
    rex = run.prepared.return_exceptions[node.id]
    if run.prepared.driver_async and not node.aio:  # sync flyte.map in async code
        return {"o0": list(map_in_loop_thread(tuple(iterables), rex))}
    limit = run.prepared.concurrency[node.id]
    sem = asyncio.Semaphore(limit) if limit > 0 else None
    names = node.item_inputs or []
    controller, parent = run.controller, run.parent

    async def one(items: tuple[Any, ...]) -> Any:
        kw = dict(fixed)
        kw.update(zip(names, items, strict=True))
        if sem is None:
            return await controller.submit(template, (), kw, parent)
        async with sem:
            return await controller.submit(template, (), kw, parent)

    label = node.group_name if isinstance(node.group_name, str) else None
    token = GROUP.set(group_name(template, label))
    try:
        futures = [asyncio.ensure_future(one(args)) for args in zip(*iterables, strict=False)]
    finally:
        GROUP.reset(token)
    results: list[Any] = AsyncList() if node.aio else []
    try:
        for fut in futures:
            try:
                results.append(await fut)
            except Exception as exc:
                if not rex:
                    raise
                results.append(exc)
    finally:
        live = [fut for fut in futures if not fut.done()]
        for fut in live:
            fut.cancel()
        if live:
            await asyncio.gather(*live, return_exceptions=True)
    return {"o0": results}
