# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from datetime import datetime
from typing import Any, Literal

class ActionID:
    name: str
    run_name: str | None
    project: str | None
    domain: str | None
    org: str | None

class GroupData:
    name: str

class TaskContext:
    action: ActionID
    version: str
    raw_data_path: Any
    input_path: str | None
    output_path: str
    run_base_dir: str
    report: Any
    group_data: GroupData | None
    checkpoint_paths: Any | None
    code_bundle: Any | None
    compiled_image_cache: Any | None
    data: dict[str, Any]
    mode: Literal["local", "remote", "hybrid"]
    interactive_mode: bool
    custom_context: dict[str, str]
    disable_run_cache: bool
    in_driver_literal_conversion: bool
    run_start_time: datetime | None
    task_action: ActionID | None
    def __bool__(self) -> bool: ...
    @property
    def checkpoint(self) -> Any: ...
    def __getattr__(self, name: str) -> Any: ...  # plugins add fields (rank, world_size, ...)

class NativeInterface:
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...
    inputs: dict[str, tuple[type[Any], Any]]
    outputs: dict[str, type[Any]]
    docstring: Any | None
    def __getattr__(self, name: str) -> Any: ...

def __getattr__(name: str) -> Any: ...
