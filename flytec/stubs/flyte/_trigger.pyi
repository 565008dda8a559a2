# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from collections.abc import Mapping
from datetime import datetime
from typing import Any

class Cron:
    expression: str
    timezone: str
    def __init__(self, expression: str, timezone: str = "UTC") -> None: ...

class FixedRate:
    interval_minutes: int
    start_time: datetime | None
    def __init__(self, interval_minutes: int, start_time: datetime | None = None) -> None: ...

class OnArtifact:
    name: str
    version: str | None
    def __init__(
        self,
        name: str,
        version: str | None = None,
        partitions: Mapping[str, str] | None = None,
        **partition_kwargs: str,
    ) -> None: ...

class TriggeredPartition:
    key: str
    def __init__(self, key: str) -> None: ...

class _TriggerTime: ...
class _TriggeredArtifact: ...

TriggerTime: _TriggerTime
TriggeredArtifact: _TriggeredArtifact

class Trigger:
    name: str
    automation: Cron | FixedRate | OnArtifact | None
    description: str
    auto_activate: bool
    inputs: dict[str, Any] | None
    def __init__(
        self,
        name: str,
        automation: Cron | FixedRate | OnArtifact | None = None,
        description: str = "",
        auto_activate: bool = True,
        inputs: dict[str, Any] | None = None,
        env_vars: dict[str, str] | None = None,
        interruptible: bool | None = None,
        overwrite_cache: bool = False,
        queue: str | None = None,
        max_action_concurrency: int | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        notifications: Any | None = None,
        custom_context: Mapping[str, str] | None = None,
    ) -> None: ...
    @classmethod
    def daily(cls, trigger_time_input_key: str | None = None, **kwargs: Any) -> Trigger: ...
    @classmethod
    def hourly(cls, trigger_time_input_key: str | None = None, **kwargs: Any) -> Trigger: ...
    @classmethod
    def weekly(cls, trigger_time_input_key: str | None = None, **kwargs: Any) -> Trigger: ...
    @classmethod
    def monthly(cls, trigger_time_input_key: str | None = None, **kwargs: Any) -> Trigger: ...
    @classmethod
    def minutely(cls, trigger_time_input_key: str | None = None, **kwargs: Any) -> Trigger: ...
