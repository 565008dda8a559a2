# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal, Protocol, TypeAlias

CacheBehavior: TypeAlias = Literal["auto", "override", "disable"]

@dataclass
class VersionParameters:
    func: Any
    image: Any | None = None
    code_bundle: Any | None = None

class CachePolicy(Protocol):
    def get_version(self, salt: str, params: VersionParameters) -> str: ...

class FunctionBodyPolicy:
    def get_version(self, salt: str, params: VersionParameters) -> str: ...

@dataclass
class Cache:
    behavior: CacheBehavior
    version_override: str | None
    serialize: bool
    ignored_inputs: tuple[str, ...] | str
    salt: str
    policies: list[CachePolicy] | CachePolicy | None
    max_age: timedelta | int | None
    def __init__(
        self,
        behavior: CacheBehavior,
        version_override: str | None = None,
        serialize: bool = False,
        ignored_inputs: tuple[str, ...] | str = (),
        salt: str = "",
        policies: list[CachePolicy] | CachePolicy | None = None,
        max_age: timedelta | int | None = None,
    ) -> None: ...
    def is_enabled(self) -> bool: ...
    def get_ignored_inputs(self) -> tuple[str, ...]: ...

CacheRequest: TypeAlias = CacheBehavior | Cache
