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


_TIMEOUT_CODES = {
    "QUEUED_TIMEOUT_EXCEEDED": "MaxQueuedTimeExceededError",
    "MAX_RUNTIME_EXCEEDED": "MaxRuntimeExceededError",
    "DEADLINE_EXCEEDED": "DeadlineExceededError",
    "MaxQueuedTimeExceededError": "MaxQueuedTimeExceededError",
    "MaxRuntimeExceededError": "MaxRuntimeExceededError",
    "DeadlineExceededError": "DeadlineExceededError",
    "TaskTimeoutError": "TaskTimeoutError",
}
# (part of the code, class), after timeouts and OOM: the order in which the SDK rebuilds a
# user error from its code
_USER_CODE_CLASSES = (
    ("Interrupted", "TaskInterruptedError"),
    ("PrimaryContainerNotFound", "PrimaryContainerNotFoundError"),
    ("RetriesExhausted", "RetriesExhaustedError"),
    ("Unknown", "RuntimeUnknownError"),
    ("InvalidImageName", "InvalidImageNameError"),
    ("ImagePullBackOff", "ImagePullBackOffError"),
)


def as_flyte_error(exc: BaseException, task: str, timeout: float | None) -> BaseException:
    """A failed action as the SDK reports it to its caller (the parent task, or the run).

    The SDK serializes a task's failure as (kind, code, message) and rebuilds an exception from
    that: a plain exception becomes ``RuntimeUserError`` with ``code`` = its class name, and a
    flyte error keeps its kind and code but not always its class (a ``NonRecoverableError``
    arrives as ``RuntimeUserError(code="NonRecoverableError")``; timeouts, OOM... keep theirs).
    """
    mod = errors()
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) and timeout is not None:
        exc = mod.TaskTimeoutError(f"Task {task} exceeded its timeout of {timeout:g}s")
    if isinstance(exc, mod.BaseRuntimeError):
        kind, code = exc.kind, str(exc.code)
    else:
        kind, code = "user", type(exc).__name__
    message = str(exc)
    err: BaseException
    if kind == "system":
        err = mod.RuntimeSystemError(code, message)
    elif kind == "unknown":
        err = mod.RuntimeUnknownError(code, message)
    elif code in _TIMEOUT_CODES:
        err = getattr(mod, _TIMEOUT_CODES[code])(message)
    elif "OOM" in code.upper():
        err = mod.OOMError(code, message)
    else:
        name = next((c for part, c in _USER_CODE_CLASSES if part in code), "RuntimeUserError")
        err = getattr(mod, name)(code, message)
    if type(err) is type(exc) and getattr(exc, "code", None) == code:
        return exc  # already what a caller sees (e.g. a child's error re-raised by its parent)
    err.__cause__ = exc
    return err


def error_class(exc: BaseException) -> str:
    """The qualified class name shown after a failed run's one-line error."""
    module = type(exc).__module__
    return f"{module}.{type(exc).__qualname__}" if module != "builtins" else type(exc).__qualname__


def describe(exc: BaseException) -> str:
    """One line: ``Code: message``."""
    code = getattr(exc, "code", None) or type(exc).__name__
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{code}: {message}" if message else str(code)
