"""Printing a task's result: the last line of standard output.

Strings print as they are (JSON when they span several lines); numbers as Python prints them;
everything else (lists, dicts, tuples, dataclasses, pydantic models, booleans, None) as one
line of JSON. Files and directories print as their local path.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import os
from typing import Any

from flytec.model.safe_text import has_unsafe


def to_jsonable(value: Any) -> Any:
    """A JSON-compatible copy of a value (falls back to ``repr`` for unknown objects)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    path = getattr(value, "_flytec_local_path", None)
    if isinstance(path, str):
        return path
    if isinstance(value, BaseException):
        return {
            "error": type(value).__name__,
            "code": getattr(value, "code", None),
            "message": str(value),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return to_jsonable(dump(mode="json"))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v) for v in value), key=repr)
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return repr(value)


def render(value: Any) -> str:
    """The one line printed for a run's result."""
    if isinstance(value, str):  # as JSON when it would not be one plain, printable line
        return value if "\n" not in value and value and not has_unsafe(value) \
            else json.dumps(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return json.dumps(to_jsonable(value), separators=(", ", ": "))
