"""Output type validation at the task boundary, as the SDK's type engine fails a task.

The SDK converts every output to a literal of its annotated type; a value that does not fit
fails the task with ``RuntimeDataValidationError`` ("In task env.t variable o0, failed to
serialize/deserialize because of Expected value of type <class 'str'> but got 'None' of type
<class 'NoneType'>"). flytec checks the same for the types whose rule is exact and cheap:
``int``, ``float`` (an ``int`` is refused, as the SDK refuses it), ``str``, ``bool``, and
``list[...]``, ``dict[str, ...]`` and ``Optional[...]`` of those. Other types are not checked.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from flytec.runtime import errors_bridge

_SCALARS: tuple[type, ...] = (int, float, str, bool)
OutputCheck = Callable[[Any], None]


def _optional_of(t: Any) -> Any:
    """``T`` for ``Optional[T]`` / ``T | None``, else None."""
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(t) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(t)) == 2:
            return args[0]
    return None


def _checkable(t: Any) -> bool:
    if t in _SCALARS:
        return True
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is list and len(args) == 1:
        return _checkable(args[0])
    if origin is dict and len(args) == 2 and args[0] is str:
        return _checkable(args[1])
    inner = _optional_of(t)
    return inner is not None and _checkable(inner)


def _mismatch(value: Any, t: Any) -> str | None:
    """Why ``value`` does not fit ``t`` (the SDK's words), or None."""
    if t in _SCALARS:
        if isinstance(value, t):
            return None
        return f"Expected value of type {t} but got '{value}' of type {type(value)}"
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is list and isinstance(value, list):
        return next((m for v in value if (m := _mismatch(v, args[0])) is not None), None)
    if origin is dict and isinstance(value, dict):
        return next((m for v in value.values() if (m := _mismatch(v, args[1])) is not None), None)
    inner = _optional_of(t)
    if inner is not None and value is not None:
        return _mismatch(value, inner)
    return None


def output_check(func: Callable[..., Any], task_name: str) -> OutputCheck | None:
    """A check of a task's outputs against its return annotation (None: nothing to check)."""
    try:
        ret = typing.get_type_hints(func).get("return", None)
    except Exception:  # unresolvable annotations: the SDK fails at decoration, we don't judge
        return None
    if ret is None or ret is type(None):
        return None
    multi = typing.get_origin(ret) is tuple and Ellipsis not in typing.get_args(ret)
    outputs = list(typing.get_args(ret)) if multi else [ret]
    checks = [(i, t) for i, t in enumerate(outputs) if _checkable(t)]
    if not checks:
        return None

    def check(value: Any) -> None:
        if multi and not (isinstance(value, tuple) and len(value) == len(outputs)):
            return
        values = value if multi else (value,)
        for i, t in checks:
            problem = _mismatch(values[i], t)
            if problem is not None:
                err = errors_bridge.errors().RuntimeDataValidationError(f"o{i}", problem, task_name)
                err._flytec_output_check = True
                raise err

    return check
