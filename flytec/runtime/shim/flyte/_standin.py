"""Accepting stand-ins for the parts of the Flyte 2 API that mean nothing locally.

A stand-in can be called, subclassed, awaited, used as a decorator or a context manager, and
has any attribute; so ``flyte.Trigger(...)``, ``flyte.app.AppEnvironment`` or
``flyte.report.log(...)`` load and run as no-ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class StandIn:
    _flytec_standin = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_name"] = kwargs.pop("_standin_name", type(self).__name__)
        self.__dict__["args"] = args
        self.__dict__["kwargs"] = kwargs

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]  # used as a decorator
        return StandIn(_standin_name=self.__dict__["_name"])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return StandIn(_standin_name=f"{self.__dict__['_name']}.{name}")

    def __await__(self) -> Any:
        if False:  # pragma: no cover
            yield
        return None

    def __enter__(self) -> StandIn:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    async def __aenter__(self) -> StandIn:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None

    def __iter__(self) -> Any:
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<flytec stand-in {self.__dict__['_name']}>"


def standin_class(name: str) -> type:
    """A fresh class (so it can be subclassed and isinstance-checked) that accepts anything."""
    return type(name, (StandIn,), {})


def module_getattr(module_name: str) -> Callable[[str], Any]:
    cache: dict[str, Any] = {}

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        if name not in cache:
            cache[name] = (
                standin_class(name)
                if name[:1].isupper()
                else StandIn(_standin_name=f"{module_name}.{name}")
            )
        return cache[name]

    return __getattr__
