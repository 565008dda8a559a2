# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from typing import Generic, ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")

class Syncified(Generic[_P, _R]):
    """A function Flyte exposes both ways: ``f(...)`` blocks, ``await f.aio(...)`` does not."""

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R: ...
    async def aio(self, *args: _P.args, **kwargs: _P.kwargs) -> _R: ...
