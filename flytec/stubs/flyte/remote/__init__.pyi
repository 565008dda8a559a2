# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from collections.abc import Iterator
from typing import Any, ClassVar, Literal, TypeAlias

from flyte._syncify import Syncified
from flyte._task import TaskTemplate

AutoVersioning: TypeAlias = Literal["latest", "current"]

class _RemoteEntity:
    """A server-side object flytec does not model in detail."""

    get: ClassVar[Syncified[..., Any]]
    listall: ClassVar[Syncified[..., Any]]
    create: ClassVar[Syncified[..., Any]]
    delete: ClassVar[Syncified[..., Any]]
    def __getattr__(self, name: str) -> Any: ...

class ActionOutputs(tuple[Any, ...]):
    def __getattr__(self, name: str) -> Any: ...

class ActionInputs(dict[str, Any]): ...

class Action(_RemoteEntity):
    @property
    def name(self) -> str: ...
    @property
    def phase(self) -> Any: ...
    def __getattr__(self, name: str) -> Any: ...

class ActionDetails(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class Run(_RemoteEntity):
    """A run started by ``flyte.run`` (local or remote)."""

    @property
    def name(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def phase(self) -> str: ...
    wait: Syncified[..., None]
    outputs: Syncified[[], ActionOutputs]
    inputs: Syncified[[], ActionInputs]
    abort: Syncified[..., None]
    def done(self) -> bool: ...
    def __getattr__(self, name: str) -> Any: ...

class RunDetails(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class LazyEntity(TaskTemplate[..., Any]):
    """A reference to a deployed task; call it with keyword arguments only."""

    @property
    def name(self) -> str: ...  # type: ignore[override]
    fetch: Syncified[[], TaskDetails]

class TaskDetails(_RemoteEntity):
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    def override(self, **kwargs: Any) -> TaskDetails: ...
    def __getattr__(self, name: str) -> Any: ...

class Task:
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def url(self) -> str: ...
    @classmethod
    def get(
        cls,
        name: str,
        project: str | None = None,
        domain: str | None = None,
        version: str | None = None,
        auto_version: AutoVersioning | None = None,
    ) -> LazyEntity: ...
    @classmethod
    def listall(cls, *args: Any, **kwargs: Any) -> Iterator[Task]: ...

class Trigger(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class TriggerDetails(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class Project(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class Secret(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class App(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class Artifact(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class Condition(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class User(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class Settings(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class TimeFilter(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

class PartitionSchema(_RemoteEntity):
    def __getattr__(self, name: str) -> Any: ...

SecretTypes: TypeAlias = Any

def auth_metadata(*args: Any, **kwargs: Any) -> Any: ...

upload_file: Syncified[..., Any]
upload_dir: Syncified[..., Any]
