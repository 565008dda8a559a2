# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
import pathlib
from dataclasses import dataclass
from typing import TypeAlias

@dataclass
class Secret:
    key: str
    group: str | None
    mount: pathlib.Path | None
    as_env_var: str | None
    def __init__(
        self,
        key: str,
        group: str | None = None,
        mount: pathlib.Path | None = None,
        as_env_var: str | None = None,
    ) -> None: ...

SecretRequest: TypeAlias = str | Secret | list[str | Secret]
