# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal, ParamSpec, Protocol, TypeVar, overload

from flyte._cache import CacheRequest
from flyte._doc import Documentation
from flyte._image import Image
from flyte._link import Link
from flyte._pod import PodTemplate
from flyte._resources import Resources
from flyte._retry import RetryStrategy
from flyte._reusable_environment import ReusePolicy
from flyte._secret import SecretRequest
from flyte._task import AsyncTask, SyncTask, TaskTemplate
from flyte._timeout import TimeoutType
from flyte._trigger import Trigger
from typing_extensions import Self

P = ParamSpec("P")
R = TypeVar("R")

@dataclass
class Environment:
    name: str
    depends_on: list[Environment]
    pod_template: str | PodTemplate | None
    description: str | None
    secrets: SecretRequest | None
    env_vars: dict[str, str] | None
    resources: Resources | None
    interruptible: bool
    image: str | Image | Literal["auto"] | None
    include: tuple[str, ...]
    service_account: str | None
    def __init__(
        self,
        name: str,
        depends_on: list[Environment] = ...,
        pod_template: str | PodTemplate | None = None,
        description: str | None = None,
        secrets: SecretRequest | None = None,
        env_vars: dict[str, str] | None = None,
        resources: Resources | None = None,
        interruptible: bool = False,
        image: str | Image | Literal["auto"] | None = "auto",
        include: tuple[str, ...] = (),
        service_account: str | None = None,
    ) -> None: ...
    def add_dependency(self, *env: Environment) -> None: ...

class _TaskDecorator(Protocol):
    """What ``@env.task(...)`` (the called form) returns."""

    @overload
    def __call__(  # type: ignore[overload-overlap]
        self, func: Callable[P, Coroutine[Any, Any, R]], /
    ) -> AsyncTask[P, R]: ...
    @overload
    def __call__(self, func: Callable[P, R], /) -> SyncTask[P, R]: ...

@dataclass
class TaskEnvironment(Environment):
    cache: CacheRequest
    reusable: ReusePolicy | None
    plugin_config: Any | None
    queue: str | None
    def __init__(
        self,
        name: str,
        depends_on: list[Environment] = ...,
        pod_template: str | PodTemplate | None = None,
        description: str | None = None,
        secrets: SecretRequest | None = None,
        env_vars: dict[str, str] | None = None,
        resources: Resources | None = None,
        interruptible: bool = False,
        image: str | Image | Literal["auto"] | None = "auto",
        include: tuple[str, ...] = (),
        service_account: str | None = None,
        cache: CacheRequest = "disable",
        reusable: ReusePolicy | None = None,
        plugin_config: Any | None = None,
        queue: str | None = None,
    ) -> None: ...
    @overload
    def task(  # type: ignore[overload-overlap]
        self, _func: Callable[P, Coroutine[Any, Any, R]], /
    ) -> AsyncTask[P, R]: ...
    @overload
    def task(self, _func: Callable[P, R], /) -> SyncTask[P, R]: ...
    @overload
    def task(
        self,
        _func: None = None,
        /,
        *,
        short_name: str | None = None,
        cache: CacheRequest | None = None,
        retries: int | RetryStrategy = 0,
        timeout: TimeoutType = 0,
        docs: Documentation | None = None,
        pod_template: str | PodTemplate | None = None,
        report: bool = False,
        interruptible: bool | None = None,
        max_inline_io_bytes: int = 10485760,
        queue: str | None = None,
        service_account: str | None = None,
        triggers: tuple[Trigger, ...] | Trigger = (),
        links: tuple[Link, ...] | Link = (),
        task_resolver: Any | None = None,
        entrypoint: bool = False,
        produces_artifacts: bool = False,
    ) -> _TaskDecorator: ...
    @property
    def tasks(self) -> dict[str, TaskTemplate[..., Any]]: ...
    def clone_with(
        self,
        name: str,
        image: str | Image | Literal["auto"] | None = None,
        resources: Resources | None = None,
        env_vars: dict[str, str] | None = None,
        secrets: SecretRequest | None = None,
        depends_on: list[Environment] | None = None,
        description: str | None = None,
        interruptible: bool | None = None,
        include: tuple[str, ...] | None = None,
        service_account: str | None = None,
        *,
        cache: CacheRequest | None = None,
        reusable: ReusePolicy | None = None,
        plugin_config: Any | None = None,
        queue: str | None = None,
    ) -> Self: ...
    @classmethod
    def from_task(
        cls,
        name: str,
        *tasks: TaskTemplate[..., Any],
        depends_on: list[Environment] | None = None,
    ) -> Self: ...
    @property
    def sandbox(self) -> Any: ...
