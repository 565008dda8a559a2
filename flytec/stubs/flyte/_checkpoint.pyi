# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
import pathlib
from collections.abc import Callable
from typing import Any

class BaseCheckpoint:
    def __getattr__(self, name: str) -> Any: ...

class Checkpoint(BaseCheckpoint):
    def __init__(self, checkpoint_dest: str, checkpoint_src: str | None = None) -> None: ...

def latest_checkpoint(
    root: pathlib.Path,
    glob_pattern: str = "**/last.ckpt",
    *,
    key: Callable[[pathlib.Path], Any] | None = None,
) -> pathlib.Path | None: ...
