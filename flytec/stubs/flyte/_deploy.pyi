# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from typing import Any, Literal

from flyte._image import Image
from flyte._syncify import syncified
from flyte._task_environment import Environment
from flyte.remote import Run

class Deployment:
    envs: dict[str, Environment]
    deployed_tasks: list[Any]
    def summary_repr(self) -> str: ...
    def table_repr(self) -> list[list[tuple[str, ...]]]: ...

class ImageBuild:
    uri: str | None
    remote_run: Run | None
    def __init__(
        self, uri: str | None, remote_run: Run | None, build_run: Any | None = None
    ) -> None: ...

@syncified
def deploy(
    *envs: Environment,
    dry_run: bool = False,
    version: str | None = None,
    interactive_mode: bool | None = None,
    copy_style: Literal["loaded_modules", "all", "none", "custom"] = "loaded_modules",
    dryrun: bool | None = None,
) -> list[Deployment]: ...
@syncified
def build_images(
    *envs: Environment,
    copy_style: Literal["loaded_modules", "all", "none", "custom"] = "loaded_modules",
    seed_cache: Any | None = None,
) -> Any: ...
@syncified
def build(
    image: Image, dry_run: bool = False, force: bool = False, wait: bool = True
) -> ImageBuild: ...
