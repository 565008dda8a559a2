"""``flyte.errors``: the SDK's exception classes (same names, bases and constructors)."""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal["system", "unknown", "user"]


class BaseRuntimeError(RuntimeError):
    """Base of every Flyte runtime error: ``code`` (e.g. the original exception's class name),
    ``kind`` ("user" | "system" | "unknown") and ``worker``."""

    def __init__(
        self, code: str, kind: ErrorKind, root_cause_message: str, worker: str | None = None
    ):
        super().__init__(root_cause_message)
        self.code = code
        self.kind = kind
        self.worker = worker

    def __reduce__(self):  # keep pickling working for subclasses with other signatures
        return (_rebuild, (type(self), self.code, self.kind, str(self), self.worker))

    # Arithmetic on an exception returned by flyte.map raises the real error.
    def _reraise(self, *_args):
        raise self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _reraise
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _reraise


def _rebuild(cls, code, kind, message, worker):
    err = cls.__new__(cls)
    RuntimeError.__init__(err, message)
    err.code, err.kind, err.worker = code, kind, worker
    return err


class InitializationError(BaseRuntimeError):
    pass


class RuntimeSystemError(BaseRuntimeError):
    def __init__(self, code: str, message: str, worker: str | None = None):
        super().__init__(code, "system", message, worker)


class UnionRpcError(RuntimeSystemError):
    pass


class RuntimeUserError(BaseRuntimeError):
    def __init__(self, code: str, message: str, worker: str | None = None):
        super().__init__(code, "user", message, worker)


class RuntimeUnknownError(BaseRuntimeError):
    def __init__(self, code: str, message: str, worker: str | None = None):
        super().__init__(code, "unknown", message, worker)


class OOMError(RuntimeUserError):
    pass


class TaskInterruptedError(RuntimeUserError):
    pass


class PrimaryContainerNotFoundError(RuntimeUserError):
    pass


class TaskTimeoutError(RuntimeUserError):
    def __init__(self, message: str, code: str = "TaskTimeoutError"):
        super().__init__(code, message, "user")


class MaxQueuedTimeExceededError(TaskTimeoutError):
    def __init__(self, message: str):
        super().__init__(message, "MaxQueuedTimeExceededError")


class MaxRuntimeExceededError(TaskTimeoutError):
    def __init__(self, message: str):
        super().__init__(message, "MaxRuntimeExceededError")


class DeadlineExceededError(TaskTimeoutError):
    def __init__(self, message: str):
        super().__init__(message, "DeadlineExceededError")


class ConditionTimedoutError(RuntimeUserError):
    def __init__(self, message: str):
        super().__init__("ConditionTimedoutError", message, "user")


class RetriesExhaustedError(RuntimeUserError):
    pass


class InvalidImageNameError(RuntimeUserError):
    pass


class ImagePullBackOffError(RuntimeUserError):
    pass


class CustomError(RuntimeUserError):
    def __init__(self, code: str, message: str):
        super().__init__(code, message, "user")

    @classmethod
    def from_exception(cls, e: Exception) -> CustomError:
        err = cls(type(e).__name__, str(e))
        err.__cause__ = e
        return err


class NotInTaskContextError(RuntimeUserError):
    pass


class ActionNotFoundError(RuntimeError):
    pass


def _simple(name: str, base: type = RuntimeUserError, code: str | None = None) -> type:
    def __init__(self, message: str):
        base.__init__(self, code or name, message, "user")

    return type(name, (base,), {"__init__": __init__, "__module__": __name__})


class RemoteTaskNotFoundError(RuntimeUserError):
    CODE = "RemoteTaskNotFoundError"

    def __init__(self, message: str):
        super().__init__(self.CODE, message, "user")


class RemoteTaskUsageError(RuntimeUserError):
    CODE = "RemoteTaskUsageError"

    def __init__(self, message: str):
        super().__init__(self.CODE, message, "user")


class LogsNotYetAvailableError(BaseRuntimeError):
    def __init__(self, message: str):
        super().__init__("LogsNotYetAvailable", "system", message, None)


class RuntimeDataValidationError(RuntimeUserError):
    def __init__(self, var: str, e: Exception | str, task_name: str = ""):
        super().__init__(
            "DataValidationError",
            f"In task {task_name} variable {var}, failed to serialize/deserialize because of {e}",
        )


DeploymentError = _simple("DeploymentError")
ImageBuildError = _simple("ImageBuildError")
ModuleLoadError = _simple("ModuleLoadError")
InlineIOMaxBytesBreached = _simple("InlineIOMaxBytesBreached")
ActionAbortedError = _simple("ActionAbortedError")
SlowDownError = _simple("SlowDownError")
ResourceExhaustedError = type("ResourceExhaustedError", (SlowDownError,), {"__module__": __name__})
OnlyAsyncIOSupportedError = _simple("OnlyAsyncIOSupportedError")
ParameterMaterializationError = _simple("ParameterMaterializationError")
RestrictedTypeError = _simple("RestrictedTypeError", code="RestrictedTypeUsage")
CodeBundleError = _simple("CodeBundleError")
SyncTaskCallInAsyncContextError = _simple("SyncTaskCallInAsyncContextError")
TraceDoesNotAllowNestedTasksError = _simple("TraceDoesNotAllowNestedTasksError")
ConditionAlreadyExistsError = _simple("ConditionAlreadyExistsError")
ConditionFailedError = _simple("ConditionFailedError")
ConditionNotFoundError = _simple("ConditionNotFoundError")


class InvalidPackageError(RuntimeUserError):
    def __init__(self, package_name: str, original_error: str):
        self.package_name = package_name
        self.original_error = original_error
        super().__init__(
            "InvalidPackageError",
            f"Invalid system package detected: '{package_name}'. Error: {original_error}",
        )


class NonRecoverableError(RuntimeUserError):
    """Raised by user code to fail at once: retries are skipped."""

    def __init__(self, message: str, code: str = "NonRecoverableError"):
        super().__init__(code, message)


def silence_polling_error(loop, context):
    exc = context.get("exception")
    if isinstance(exc, BlockingIOError):
        return
    loop.default_exception_handler(context)


def __getattr__(name: str):
    # Errors added by newer SDKs (e.g. GPUFaultError, AppleSiliconError...) exist as user errors.
    if name[:1].isupper() and name.endswith("Error"):
        cls = _simple(name)
        globals()[name] = cls
        return cls
    raise AttributeError(f"module 'flyte.errors' has no attribute {name!r}")
