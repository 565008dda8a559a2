"""Copying values across action boundaries: inputs and outputs are copies, as in Flyte."""

from __future__ import annotations

import copy
from typing import Any

_IMMUTABLE: frozenset[type] = frozenset(
    {int, float, str, bool, type(None), bytes, complex, range, frozenset}
)


def copy_value(value: Any) -> Any:
    """A deep copy of ``value``; immutable scalars (and tuples of them) are returned as is."""
    t = type(value)
    if t in _IMMUTABLE:
        return value
    if t is tuple and all(type(v) in _IMMUTABLE for v in value):
        return value
    return copy.deepcopy(value)


def copy_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Copy every value of a keyword-argument dict (the dict itself is new)."""
    return {k: copy_value(v) for k, v in kwargs.items()}
