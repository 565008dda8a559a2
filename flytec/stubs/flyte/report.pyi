# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
# flytec does not model `flyte.report`: everything in it is Any.
from typing import Any

def __getattr__(name: str) -> Any: ...
