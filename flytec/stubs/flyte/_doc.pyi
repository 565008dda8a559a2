# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from dataclasses import dataclass

@dataclass
class Documentation:
    description: str
    def __init__(self, description: str) -> None: ...
