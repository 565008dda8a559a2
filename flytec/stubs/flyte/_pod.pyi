# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass
from typing import Any

@dataclass
class PodTemplate:
    pod_spec: Any | None
    primary_container_name: str
    labels: dict[str, str] | None
    annotations: dict[str, str] | None
    def __init__(
        self,
        pod_spec: Any | None = None,
        primary_container_name: str = "primary",
        labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None,
    ) -> None: ...
    def __getattr__(self, name: str) -> Any: ...
