# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])

def trace(func: _F) -> _F:
    """Record the function's inputs and outputs in the run; keeps the function's type."""
