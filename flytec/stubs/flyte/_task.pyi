# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
#
# ``@env.task`` returns ``AsyncTask[P, R]`` for ``async def`` functions and ``SyncTask[P, R]``
# for plain ``def`` functions.  Both keep the function's parameters (ParamSpec ``P``) and its
# result type ``R`` so that mypy checks every call between tasks.
from typing import Any, Generic, Literal, ParamSpec, TypeVar

from flyte._cache import CacheRequest
from flyte._doc import Documentation
from flyte._image import Image
from flyte._link import Link
from flyte._pod import PodTemplate
from flyte._resources import Resources
from flyte._retry import RetryStrategy
from flyte._reusable_environment import ReusePolicy
from flyte._secret import SecretRequest
from flyte._timeout import TimeoutType
from flyte._trigger import Trigger
from typing_extensions import Self

P = ParamSpec("P")
# Covariant: a task giving int is a task giving int | Exception (what flyte.map expects).
R = TypeVar("R", covariant=True)

class TaskTemplate(Generic[P, R]):
    """Any task.  ``R`` is the task's result type (what ``await t(...)`` gives)."""

    name: str
    short_name: str
    task_type: str
    task_type_version: int
    image: str | Image | Literal["auto"] | None
    resources: Resources | None
    cache: CacheRequest
    interruptible: bool
    retries: int | RetryStrategy
    reusable: ReusePolicy | None
    docs: Documentation | None
    env_vars: dict[str, str] | None
    secrets: SecretRequest | None
    service_account: str | None
    timeout: TimeoutType | None
    pod_template: str | PodTemplate | None
    report: bool
    queue: str | None
    debuggable: bool
    entrypoint: bool
    produces_artifacts: bool
    parent_env_name: str | None
    max_inline_io_bytes: int
    triggers: tuple[Trigger, ...]
    links: tuple[Link, ...]
    interface: Any
    @property
    def native_interface(self) -> Any: ...
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any: ...
    async def aio(self, *args: P.args, **kwargs: P.kwargs) -> R: ...
    def forward(self, *args: P.args, **kwargs: P.kwargs) -> Any: ...
    def override(
        self,
        *,
        short_name: str | None = None,
        resources: Resources | None = None,
        cache: CacheRequest | None = None,
        retries: int | RetryStrategy = 0,
        timeout: TimeoutType | None = None,
        reusable: ReusePolicy | Literal["off"] | None = None,
        env_vars: dict[str, str] | None = None,
        secrets: SecretRequest | None = None,
        service_account: str | None = None,
        max_inline_io_bytes: int | None = None,
        pod_template: str | PodTemplate | None = None,
        queue: str | None = None,
        interruptible: bool | None = None,
        entrypoint: bool | None = None,
        produces_artifacts: bool | None = None,
        links: tuple[Link, ...] = (),
        plugin_config: Any | None = None,
    ) -> Self: ...

class AsyncFunctionTaskTemplate(TaskTemplate[P, R]):
    """The class ``@env.task`` returns at run time."""

    func: Any
    plugin_config: Any | None
    async def execute(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

class AsyncTask(AsyncFunctionTaskTemplate[P, R]):
    """A task made from an ``async def``: ``await t(...)`` gives ``R``."""

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...
    async def forward(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

class SyncTask(AsyncFunctionTaskTemplate[P, R]):
    """A task made from a plain ``def``: ``t(...)`` gives ``R``; from async code use
    ``await t.aio(...)``."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...
    def forward(self, *args: P.args, **kwargs: P.kwargs) -> R: ...
