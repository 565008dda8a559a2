# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
#
# A child task's failure reaches its caller as one of these (mostly RuntimeUserError whose
# ``code`` is the original exception's class name), never as the original exception type.
from typing import Any, Literal

class BaseRuntimeError(RuntimeError):
    code: str
    kind: Literal["system", "unknown", "user"]
    worker: str | None
    def __init__(
        self,
        code: str,
        kind: Literal["system", "unknown", "user"],
        root_cause_message: str,
        worker: str | None = None,
    ) -> None: ...

class InitializationError(BaseRuntimeError):
    def __init__(
        self,
        code: str,
        kind: Literal["system", "unknown", "user"],
        root_cause_message: str,
        worker: str | None = None,
    ) -> None: ...

class RuntimeSystemError(BaseRuntimeError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class UnionRpcError(RuntimeSystemError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class RuntimeUserError(BaseRuntimeError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class RuntimeUnknownError(BaseRuntimeError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class OOMError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class GPUFaultError(BaseRuntimeError):
    def __init__(
        self,
        code: str,
        kind: Literal["system", "unknown", "user"],
        message: str,
        worker: str | None = None,
        *,
        fault_kind: str | None = None,
        fault_code: int | None = None,
        fault_name: str | None = None,
        severity: str | None = None,
        gpu_uuid: str | None = None,
        gpu_index: int | None = None,
        node: str | None = None,
        pci_bus_id: str | None = None,
        process: str | None = None,
    ) -> None: ...

class GPUFaultUserError(GPUFaultError, RuntimeUserError):
    def __init__(
        self, code: str, message: str, worker: str | None = None, **fault: Any
    ) -> None: ...

class GPUFaultSystemError(GPUFaultError, RuntimeSystemError):
    def __init__(
        self, code: str, message: str, worker: str | None = None, **fault: Any
    ) -> None: ...

class TaskInterruptedError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class PrimaryContainerNotFoundError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class TaskTimeoutError(RuntimeUserError):
    def __init__(self, message: str, code: str = ...) -> None: ...

class MaxQueuedTimeExceededError(TaskTimeoutError):
    def __init__(self, message: str) -> None: ...

class MaxRuntimeExceededError(TaskTimeoutError):
    def __init__(self, message: str) -> None: ...

class DeadlineExceededError(TaskTimeoutError):
    def __init__(self, message: str) -> None: ...

class ConditionTimedoutError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class RetriesExhaustedError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class InvalidImageNameError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class ImagePullBackOffError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class CustomError(RuntimeUserError):
    def __init__(self, code: str, message: str) -> None: ...

class NotInTaskContextError(RuntimeUserError):
    def __init__(self, code: str, message: str, worker: str | None = None) -> None: ...

class ActionNotFoundError(RuntimeError):
    def __init__(self, *args: object) -> None: ...

class RemoteTaskNotFoundError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class RemoteTaskUsageError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class LogsNotYetAvailableError(BaseRuntimeError):
    def __init__(self, message: str) -> None: ...

class RuntimeDataValidationError(RuntimeUserError):
    def __init__(self, var: str, e: Exception | str, task_name: str = "") -> None: ...

class DeploymentError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ImageBuildError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ModuleLoadError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class InlineIOMaxBytesBreached(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ActionAbortedError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class SlowDownError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ResourceExhaustedError(SlowDownError):
    def __init__(self, message: str) -> None: ...

class OnlyAsyncIOSupportedError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ParameterMaterializationError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class RestrictedTypeError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class CodeBundleError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class SyncTaskCallInAsyncContextError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class TraceDoesNotAllowNestedTasksError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class InvalidPackageError(RuntimeUserError):
    def __init__(self, package_name: str, original_error: str) -> None: ...

class NonRecoverableError(RuntimeUserError):
    def __init__(self, message: str, code: str = ...) -> None: ...

class ConditionAlreadyExistsError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ConditionFailedError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class ConditionNotFoundError(RuntimeUserError):
    def __init__(self, message: str) -> None: ...

class AppleSiliconError(RuntimeUserError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...

class AppleSiliconNotAvailableError(AppleSiliconError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...

class AppleSiliconHostExecFailedError(AppleSiliconError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...

class AppleSiliconDaemonStartFailedError(AppleSiliconError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...

class AppleSiliconDaemonOOMError(AppleSiliconError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...

class AppleSiliconModelNotFoundError(AppleSiliconError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...

class AppleSiliconBridgeUnreachableError(AppleSiliconError):
    def __init__(self, message: str, worker: str | None = None) -> None: ...
