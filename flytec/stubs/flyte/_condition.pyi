# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from datetime import timedelta
from typing import Any, Generic, Literal, TypeVar, overload

from flyte._syncify import Syncified

_T = TypeVar("_T")

class ConditionWebhook:
    url: str
    payload: dict[str, Any] | None
    def __init__(self, url: str, payload: dict[str, Any] | None = None) -> None: ...

class _Condition(Generic[_T]):
    name: str
    wait: Syncified[..., _T]
    def __await__(self) -> Any: ...
    def __getattr__(self, name: str) -> Any: ...

class _NewCondition:
    """``flyte.new_condition(...)`` blocks; ``await flyte.new_condition.aio(...)`` does not."""

    @overload
    def __call__(
        self,
        name: str,
        /,
        prompt: str = "Approve?",
        prompt_type: Literal["text", "markdown"] = "text",
        *,
        data_type: type[_T],
        description: str = "",
        timeout: timedelta | int | float | None = None,
        webhook: ConditionWebhook | None = None,
    ) -> _Condition[_T]: ...
    @overload
    def __call__(
        self,
        name: str,
        /,
        prompt: str = "Approve?",
        prompt_type: Literal["text", "markdown"] = "text",
        description: str = "",
        timeout: timedelta | int | float | None = None,
        webhook: ConditionWebhook | None = None,
    ) -> _Condition[bool]: ...
    @overload
    async def aio(
        self,
        name: str,
        /,
        prompt: str = "Approve?",
        prompt_type: Literal["text", "markdown"] = "text",
        *,
        data_type: type[_T],
        description: str = "",
        timeout: timedelta | int | float | None = None,
        webhook: ConditionWebhook | None = None,
    ) -> _Condition[_T]: ...
    @overload
    async def aio(
        self,
        name: str,
        /,
        prompt: str = "Approve?",
        prompt_type: Literal["text", "markdown"] = "text",
        description: str = "",
        timeout: timedelta | int | float | None = None,
        webhook: ConditionWebhook | None = None,
    ) -> _Condition[bool]: ...

new_condition: _NewCondition
