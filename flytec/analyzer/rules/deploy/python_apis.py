"""Standard-library APIs newer than Python 3.10, the oldest Python Flyte 2 and flytec support.

Each entry is checked against CPython's documentation ("Added in version 3.x") and, by
tests/analyzer/test_python_version_api.py, against the interpreter running the tests (on
every Python `make test` finds). Keep it small: APIs Flyte code plausibly uses.
"""

from __future__ import annotations

# dotted name -> the first Python that has it (module attributes and builtins)
NAMES: dict[str, tuple[int, int]] = {
    "asyncio.TaskGroup": (3, 11),
    "asyncio.timeout": (3, 11),
    "asyncio.timeout_at": (3, 11),
    "asyncio.Runner": (3, 11),
    "builtins.ExceptionGroup": (3, 11),
    "builtins.BaseExceptionGroup": (3, 11),
    "typing.Self": (3, 11),
    "typing.LiteralString": (3, 11),
    "typing.Never": (3, 11),
    "typing.assert_never": (3, 11),
    "typing.Required": (3, 11),
    "typing.NotRequired": (3, 11),
    "datetime.UTC": (3, 11),
    "enum.StrEnum": (3, 11),
    "contextlib.chdir": (3, 11),
    "hashlib.file_digest": (3, 11),
    "itertools.batched": (3, 12),
    "typing.override": (3, 12),
    "copy.replace": (3, 13),
    "warnings.deprecated": (3, 13),
    "typing.TypeIs": (3, 13),
    "typing.ReadOnly": (3, 13),
}

# modules -> the first Python that has them
MODULES: dict[str, tuple[int, int]] = {
    "tomllib": (3, 11),
}

# syntax -> the first Python that parses it
SYNTAX: dict[str, tuple[int, int]] = {
    "except*": (3, 11),
    "type statement": (3, 12),
}
