# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
#
# ``flyte.run(task, *args, **kwargs)`` checks the arguments against the task's signature.
import pathlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, ParamSpec, TypeAlias

from flyte._syncify import syncified
from flyte._task import TaskTemplate
from flyte.remote import Run

P = ParamSpec("P")

Mode: TypeAlias = Literal["local", "remote", "hybrid"]
CopyFiles: TypeAlias = Literal["loaded_modules", "all", "none", "custom"]

class _RunFn:
    def __call__(self, task: TaskTemplate[P, Any], /, *args: P.args, **kwargs: P.kwargs) -> Run: ...
    async def aio(
        self, task: TaskTemplate[P, Any], /, *args: P.args, **kwargs: P.kwargs
    ) -> Run: ...

class _Runner:
    run: _RunFn
    def rerun(self, run_name: str, action_name: str = "a0", **inputs: Any) -> Run: ...

run: _RunFn

def with_runcontext(
    mode: Mode | None = None,
    *,
    name: str | None = None,
    service_account: str | None = None,
    version: str | None = None,
    copy_style: CopyFiles = "loaded_modules",
    dry_run: bool = False,
    copy_bundle_to: pathlib.Path | None = None,
    interactive_mode: bool | None = None,
    raw_data_path: str | None = None,
    run_base_dir: str | None = None,
    run_start_time: datetime | None = None,
    overwrite_cache: bool = False,
    project: str | None = None,
    domain: str | None = None,
    env_vars: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    interruptible: bool | None = None,
    log_level: int | None = None,
    log_format: str = "console",
    user_log_level: int | None = None,
    reset_root_logger: bool = False,
    disable_run_cache: bool = False,
    queue: str | None = None,
    max_action_concurrency: int | None = None,
    notifications: Any | None = None,
    custom_context: dict[str, str] | None = None,
    cache_lookup_scope: Literal["global", "project-domain"] = "global",
    preserve_original_types: bool = False,
    debug: bool = False,
    tracked: bool = False,
    tracked_strict: bool = False,
) -> _Runner: ...
@syncified
def rerun(
    run_name: str,
    action_name: str = "a0",
    recover: bool = False,
    force_rerun_actions: Sequence[str] | None = None,
    allow_missing_source_outputs: bool = False,
    **inputs: Any,
) -> Run: ...
@syncified
def run_python_script(script: pathlib.Path, **kwargs: Any) -> Run: ...
