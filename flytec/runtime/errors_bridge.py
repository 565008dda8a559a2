"""Build the user-visible ``flyte.errors`` exceptions from the shim without importing it statically.

The shim is the ``flyte`` package seen by user code; the runtime only needs a few of its error
classes, looked up once the shim is installed.
"""

from __future__ import annotations

import asyncio
import importlib
from types import ModuleType

_errors: ModuleType | None = None


def errors() -> ModuleType:
    global _errors
    if _errors is None:
        from flytec.runtime.loader import install_shim

        install_shim()
        _errors = importlib.import_module("flyte.errors")
    return _errors


def is_flyte_error(exc: BaseException) -> bool:
    return isinstance(exc, errors().BaseRuntimeError)


def is_non_recoverable(exc: BaseException) -> bool:
    return isinstance(exc, errors().NonRecoverableError)


def as_flyte_error(exc: BaseException, task: str, timeout: float | None) -> BaseException:
    """A child's failure as its parent sees it: flyte errors pass, others -> RuntimeUserError."""
    mod = errors()
    if is_flyte_error(exc):
        return exc
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) and timeout is not None:
        err: BaseException = mod.TaskTimeoutError(
            f"Task {task} exceeded its timeout of {timeout:g}s"
        )
    else:
        err = mod.RuntimeUserError(type(exc).__name__, str(exc))
    err.__cause__ = exc
    return err


def describe(exc: BaseException) -> str:
    """One line: ``Code: message``."""
    code = getattr(exc, "code", None) or type(exc).__name__
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{code}: {message}" if message else str(code)
