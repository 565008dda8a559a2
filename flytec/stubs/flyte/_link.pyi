# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from typing import Any, Protocol

class Link(Protocol):
    name: str
    def get_link(self, *args: Any, **kwargs: Any) -> str: ...
