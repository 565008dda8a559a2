"""Task configuration objects: accepted and validated like the SDK, mostly ignored locally.

Cache, retries and timeouts are honoured by the runtime; resources, images, reuse policies,
pod templates and the like are accepted (and checked where the SDK checks at import time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, Union

from flyte._standin import standin_class

CacheBehavior = Literal["auto", "override", "disable"]
_CACHE_ALIASES = {
    "enable": "auto",
    "enabled": "auto",
    "on": "auto",
    "true": "auto",
    "yes": "auto",
    "off": "disable",
    "false": "disable",
    "no": "disable",
    "none": "disable",
}


@dataclass
class VersionParameters:
    func: Callable[..., Any] | None
    image: Any = None
    code_bundle: Any = None


class CachePolicy:
    """Protocol: ``get_version(salt, params) -> str``."""

    def get_version(self, salt: str, params: VersionParameters) -> str:  # pragma: no cover
        raise NotImplementedError


@dataclass
class Cache:
    behavior: CacheBehavior
    version_override: str | None = None
    serialize: bool = False
    ignored_inputs: tuple[str, ...] | str = field(default_factory=tuple)
    salt: str = ""
    policies: list[Any] | Any | None = None
    max_age: timedelta | int | None = None

    def __post_init__(self) -> None:
        valid = ("auto", "override", "disable")
        if isinstance(self.behavior, str) and self.behavior not in valid:
            alias = _CACHE_ALIASES.get(self.behavior.lower())
            if alias is not None:
                self.behavior = alias  # type: ignore[assignment]
        if self.behavior not in valid:
            raise ValueError(
                f"Invalid cache behavior: {self.behavior!r}. Must be one of {list(valid)}"
            )
        if isinstance(self.ignored_inputs, str):
            self.ignored_inputs = (self.ignored_inputs,)

    def is_enabled(self) -> bool:
        return self.behavior != "disable"

    def get_ignored_inputs(self) -> tuple[str, ...]:
        return tuple(self.ignored_inputs)


CacheRequest = Union[CacheBehavior, Cache]  # noqa: UP007 (a runtime alias, as in the SDK)


def cache_from_request(cache: Any) -> Cache:
    if isinstance(cache, Cache):
        return cache
    if isinstance(cache, str):
        return Cache(behavior=cache)  # type: ignore[arg-type]
    if cache is None:
        return Cache(behavior="disable")
    raise ValueError(f"cache must be a str or Cache, got {type(cache).__name__}")


@dataclass(frozen=True)
class Device:
    quantity: int = 1
    device_class: str = "GPU"
    device: str | None = None
    partition: str | None = None


def GPU(device: str, quantity: int = 1, partition: str | None = None) -> Device:
    return Device(quantity=quantity, device_class="GPU", device=device, partition=partition)


def TPU(device: str, partition: str | None = None) -> Device:
    return Device(quantity=1, device_class="TPU", device=device, partition=partition)


def Neuron(device: str) -> Device:
    return Device(quantity=1, device_class="NEURON", device=device)


def AMD_GPU(device: str) -> Device:
    return Device(quantity=1, device_class="AMD_GPU", device=device)


def HABANA_GAUDI(device: str) -> Device:
    return Device(quantity=1, device_class="HABANA_GAUDI", device=device)


def APPLE_SILICON(*args: Any, **kwargs: Any) -> Device:
    return Device(quantity=1, device_class="APPLE_SILICON")


DeviceClass = Literal["GPU", "TPU", "NEURON", "AMD_GPU", "HABANA_GAUDI", "APPLE_SILICON"]


@dataclass
class Resources:
    cpu: Any = None
    memory: Any = None
    gpu: Any = None
    disk: str | None = None
    shm: str | None = None

    def __post_init__(self) -> None:
        cpus = self.cpu if isinstance(self.cpu, tuple) else (self.cpu,)
        for c in cpus:
            if isinstance(c, (int, float)) and c < 0:
                raise ValueError("cpu must be non-negative")
        mems = self.memory if isinstance(self.memory, tuple) else (self.memory,)
        for m in mems:
            if m is not None and not isinstance(m, str):
                raise ValueError("memory must be a string such as '1Gi'")


@dataclass
class ReusePolicy:
    replicas: int | tuple[int, int] = 2
    idle_ttl: int | timedelta = 30
    concurrency: int = 1
    scaledown_ttl: int | timedelta = 30
    scope: Literal["global", "run"] = "global"

    def __post_init__(self) -> None:
        if isinstance(self.replicas, int):
            self.replicas = (self.replicas, self.replicas)
        for ttl in (self.idle_ttl, self.scaledown_ttl):
            secs = ttl.total_seconds() if isinstance(ttl, timedelta) else ttl
            if secs < 30:
                raise ValueError("idle_ttl and scaledown_ttl must be at least 30 seconds")
        if self.scope not in ("global", "run"):
            raise ValueError("scope must be 'global' or 'run'")
        if not isinstance(self.concurrency, int) or self.concurrency < 1:
            raise ValueError("concurrency must be an int >= 1")


_ENV_VAR = re.compile(r"^[A-Z_][A-Z0-9_]*$")


@dataclass
class Secret:
    """A secret; locally its value is read from the environment variable ``env_var``."""

    key: str
    group: str | None = None
    mount: Path | None = None
    as_env_var: str | None = None

    def __post_init__(self) -> None:
        if self.as_env_var is not None and not _ENV_VAR.match(self.as_env_var):
            raise ValueError(f"Invalid environment variable name: {self.as_env_var}")

    @property
    def env_var(self) -> str:
        if self.as_env_var:
            return self.as_env_var
        name = f"{self.group}_{self.key}" if self.group else self.key
        return name.upper().replace("-", "_")


SecretRequest = Union[str, Secret, list[str | Secret]]  # noqa: UP007


@dataclass
class Backoff:
    base: timedelta
    factor: float = 1.0
    cap: timedelta | None = None

    def __post_init__(self) -> None:
        if self.factor < 1:
            raise ValueError("factor must be >= 1")
        if self.factor > 1 and self.cap is None:
            raise ValueError("cap is required when factor > 1")


@dataclass
class RetryStrategy:
    count: int
    backoff: Backoff | None = None


@dataclass
class Timeout:
    max_runtime: timedelta | int | None = None
    max_queued_time: timedelta | int | None = None
    deadline: timedelta | int | None = None


TimeoutType = Union[Timeout, int, timedelta]  # noqa: UP007


@dataclass
class PodTemplate:
    pod_spec: Any = None
    primary_container_name: str = "primary"
    labels: dict | None = None
    annotations: dict | None = None


@dataclass
class Link:
    name: str = ""
    icon_uri: str = ""

    def get_link(self, *args: Any, **kwargs: Any) -> str:
        return ""


@dataclass
class Documentation:
    description: str = ""


Trigger = standin_class("Trigger")
Cron = standin_class("Cron")
FixedRate = standin_class("FixedRate")
OnArtifact = standin_class("OnArtifact")
TriggerTime = standin_class("TriggerTime")
TriggeredArtifact = standin_class("TriggeredArtifact")
TriggeredPartition = standin_class("TriggeredPartition")
BaseCheckpoint = standin_class("BaseCheckpoint")
Checkpoint = standin_class("Checkpoint")
ConditionWebhook = standin_class("ConditionWebhook")
AppHandle = standin_class("AppHandle")
ImageBuild = standin_class("ImageBuild")
