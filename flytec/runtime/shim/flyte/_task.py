"""Task templates: calling a task outside a run calls the function; inside a run the call is a
child action scheduled by flytec's controller (``flytec.runtime.controller``)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from flyte import errors
from flyte._config import Cache, RetryStrategy, cache_from_request

from flytec.runtime.context import CURRENT

_REGISTRY: dict[str, TaskTemplate] = {}


def _in_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@dataclass
class TaskTemplate:
    func: Callable[..., Any]
    name: str
    short_name: str = ""
    parent_env_name: str = ""
    cache: Cache = field(default_factory=lambda: Cache(behavior="disable"))
    retries: RetryStrategy = field(default_factory=lambda: RetryStrategy(count=0))
    timeout: Any = None
    resources: Any = None
    env_vars: dict[str, str] | None = None
    secrets: Any = None
    reusable: Any = None
    pod_template: Any = None
    interruptible: bool | None = None
    queue: str | None = None
    max_inline_io_bytes: int = 10 * 1024 * 1024
    report: bool = False
    docs: Any = None
    triggers: tuple[Any, ...] = ()
    links: tuple[Any, ...] = ()
    image: Any = None
    entrypoint: bool = False
    produces_artifacts: bool = False
    service_account: str | None = None
    plugin_config: Any = None
    task_type: str = "python"

    _flytec_is_task: ClassVar[bool] = True

    def __post_init__(self) -> None:
        self.cache = cache_from_request(self.cache)
        if isinstance(self.retries, int):
            self.retries = RetryStrategy(count=self.retries)
        elif not isinstance(self.retries, RetryStrategy):
            raise ValueError(f"retries must be an int or RetryStrategy, got {self.retries!r}")
        if not self.short_name:
            self.short_name = getattr(self.func, "__name__", self.name)
        self.__doc__ = getattr(self.func, "__doc__", None)
        self.__name__ = getattr(self.func, "__name__", self.name)
        self.__module__ = getattr(self.func, "__module__", __name__)
        self.__wrapped__ = self.func

    @property
    def _call_as_synchronous(self) -> bool:
        return not inspect.iscoroutinefunction(self.func)

    @property
    def native_interface(self) -> inspect.Signature:
        return inspect.signature(self.func)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Run the body inline (no new action)."""
        return self.func(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        ctx = CURRENT.get()
        if ctx is None:
            return self.forward(*args, **kwargs)
        if ctx.in_trace:
            raise errors.TraceDoesNotAllowNestedTasksError(
                f"Task {self.name} is invoked from inside a `flyte.trace`. Use "
                f"{self.__name__}.forward(...) to call it as a plain function."
            )
        controller = ctx.controller
        if not self._call_as_synchronous:
            return controller.submit(self, args, kwargs, ctx)
        if _in_event_loop():
            raise errors.SyncTaskCallInAsyncContextError(
                f"Sync task '{self.name}' was called in a blocking way from async code. "
                f"This blocks the event loop and can hang the run. "
                f"Use `await {self.__name__}.aio(...)` instead."
            )
        return controller.submit_blocking(self, args, kwargs)

    def aio(self, *args: Any, **kwargs: Any) -> Any:
        """Awaitable call, for sync and async tasks alike."""
        ctx = CURRENT.get()
        if ctx is None:
            result = self.forward(*args, **kwargs)
            if inspect.isawaitable(result):
                return result
            return _done(result)
        if ctx.in_trace:
            raise errors.TraceDoesNotAllowNestedTasksError(
                f"Task {self.name} is invoked from inside a `flyte.trace`."
            )
        return ctx.controller.submit(self, args, kwargs, ctx)

    def override(
        self,
        *,
        short_name: str | None = None,
        resources: Any = None,
        cache: Any = None,
        retries: Any = 0,
        timeout: Any = None,
        reusable: Any = None,
        env_vars: dict[str, str] | None = None,
        secrets: Any = None,
        service_account: str | None = None,
        max_inline_io_bytes: int | None = None,
        pod_template: Any = None,
        queue: str | None = None,
        interruptible: bool | None = None,
        entrypoint: bool | None = None,
        produces_artifacts: bool | None = None,
        links: tuple[Any, ...] = (),
        plugin_config: Any = None,
        **kwargs: Any,
    ) -> TaskTemplate:
        """A copy with some settings replaced; falsy values are ignored, as in the SDK."""
        for banned in ("name", "image", "docs", "interface"):
            if banned in kwargs:
                raise ValueError(f"{banned} cannot be overridden")
        new = replace(
            self,
            short_name=short_name or self.short_name,
            resources=resources or self.resources,
            cache=cache or self.cache,
            retries=retries or self.retries,
            timeout=timeout or self.timeout,
            reusable=None if reusable == "off" else (reusable or self.reusable),
            env_vars=env_vars or self.env_vars,
            secrets=secrets or self.secrets,
            service_account=service_account or self.service_account,
            max_inline_io_bytes=max_inline_io_bytes or self.max_inline_io_bytes,
            pod_template=pod_template or self.pod_template,
            queue=queue or self.queue,
            interruptible=interruptible if interruptible is not None else self.interruptible,
            entrypoint=entrypoint if entrypoint is not None else self.entrypoint,
            produces_artifacts=(
                produces_artifacts if produces_artifacts is not None else self.produces_artifacts
            ),
            links=links or self.links,
            plugin_config=plugin_config or self.plugin_config,
        )
        return new

    def __repr__(self) -> str:
        return f"<flyte task {self.name}>"

    __hash__ = object.__hash__


async def _done(value: Any) -> Any:
    return value


AsyncFunctionTaskTemplate = TaskTemplate


def register(task: TaskTemplate) -> None:
    _REGISTRY[task.name] = task


def task_registry() -> dict[str, TaskTemplate]:
    return dict(_REGISTRY)
