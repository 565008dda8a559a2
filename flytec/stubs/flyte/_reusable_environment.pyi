# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

@dataclass
class ReusePolicy:
    replicas: int | tuple[int, int]
    idle_ttl: int | timedelta
    concurrency: int
    scaledown_ttl: int | timedelta
    scope: Literal["global", "run"]
    def __init__(
        self,
        replicas: int | tuple[int, int] = 2,
        idle_ttl: int | timedelta = 30,
        concurrency: int = 1,
        scaledown_ttl: int | timedelta = 30,
        scope: Literal["global", "run"] = "global",
    ) -> None: ...
    @property
    def min_replicas(self) -> int: ...
    @property
    def max_replicas(self) -> int: ...
