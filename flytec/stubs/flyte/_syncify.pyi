# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

class Syncified(Generic[_P, _R]):
    """A function Flyte exposes both ways: ``f(...)`` blocks, ``await f.aio(...)`` does not."""

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R: ...
    async def aio(self, *args: _P.args, **kwargs: _P.kwargs) -> _R: ...

def syncified(func: Callable[_P, _R]) -> Syncified[_P, _R]:
    """Stub-only decorator: marks a function the SDK wraps with ``syncify``."""
