# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeAlias

@dataclass
class Timeout:
    max_runtime: timedelta | int | None
    max_queued_time: timedelta | int | None
    deadline: timedelta | int | None
    def __init__(
        self,
        max_runtime: timedelta | int | None = None,
        max_queued_time: timedelta | int | None = None,
        deadline: timedelta | int | None = None,
    ) -> None: ...

TimeoutType: TypeAlias = Timeout | int | timedelta
