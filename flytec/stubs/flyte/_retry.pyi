# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass
from datetime import timedelta

@dataclass
class Backoff:
    base: timedelta
    factor: float
    cap: timedelta | None
    def __init__(
        self, base: timedelta, factor: float = 1.0, cap: timedelta | None = None
    ) -> None: ...

@dataclass
class RetryStrategy:
    count: int
    backoff: Backoff | None
    def __init__(self, count: int, backoff: Backoff | None = None) -> None: ...
