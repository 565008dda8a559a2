# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
import os
from pathlib import Path
from typing import Any

from flyte._syncify import syncified
from flyte.models import TaskContext

@syncified
def init(
    org: str | None = None,
    project: str | None = None,
    domain: str | None = None,
    root_dir: Path | None = None,
    log_level: int | None = None,
    log_format: str | None = None,
    reset_root_logger: bool = False,
    user_log_level: int | None = None,
    endpoint: str | None = None,
    headless: bool = False,
    insecure: bool = False,
    insecure_skip_verify: bool = False,
    ca_cert_file_path: str | None = None,
    auth_type: str = "Pkce",
    command: list[str] | None = None,
    proxy_command: list[str] | None = None,
    api_key: str | None = None,
    client_id: str | None = None,
    client_credentials_secret: str | None = None,
    auth_client_config: Any | None = None,
    rpc_retries: int = 3,
    http_proxy_url: str | None = None,
    disable_keyring: bool = False,
    storage: Any | None = None,
    batch_size: int = 1000,
    image_builder: str = "local",
    images: dict[str, str] | None = None,
    image_registry: str | None = None,
    source_config_path: Path | None = None,
    sync_local_sys_paths: bool = True,
    load_plugin_type_transformers: bool = True,
    local_persistence: bool = False,
    local_tracked: bool = False,
    local_tracked_strict: bool = False,
    scopes: list[str] | None = None,
) -> None: ...
@syncified
def init_from_config(
    path_or_config: str | Path | Any | None = None,
    root_dir: Path | None = None,
    log_level: int | None = None,
    log_format: str = "console",
    user_log_level: int | None = None,
    org: str | None = None,
    project: str | None = None,
    domain: str | None = None,
    storage: Any | None = None,
    batch_size: int = 1000,
    image_builder: str | None = None,
    images: tuple[str, ...] | None = None,
    sync_local_sys_paths: bool = True,
) -> None: ...
@syncified
def init_from_api_key(
    api_key: str | None = None,
    project: str | None = None,
    domain: str | None = None,
    root_dir: Path | None = None,
    log_level: int | None = None,
    log_format: str | None = None,
    storage: Any | None = None,
    batch_size: int = 1000,
    image_builder: str = "local",
    images: dict[str, str] | None = None,
    sync_local_sys_paths: bool = True,
    insecure_skip_verify: bool = False,
    ca_cert_file_path: str | None = None,
) -> None: ...
@syncified
def init_in_cluster(
    org: str | None = None,
    project: str | None = None,
    domain: str | None = None,
    api_key: str | None = None,
    endpoint: str | None = None,
    insecure: bool = False,
) -> dict[str, Any]: ...
@syncified
def init_passthrough(
    endpoint: str | None = None,
    org: str | None = None,
    project: str | None = None,
    domain: str | None = None,
    insecure: bool = False,
) -> dict[str, Any]: ...
def is_control_plane_available() -> bool: ...
def load_interactive_ctx(path: str | os.PathLike[str] | None = None) -> TaskContext: ...
def load_plugin_config(path: str | Path) -> Any: ...

# Private module: names flytec does not model are Any.
def __getattr__(name: str) -> Any: ...
