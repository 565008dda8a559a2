# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from pathlib import Path
from typing import Any, Literal, TypeAlias

from flyte._secret import Secret, SecretRequest
from typing_extensions import Self

Architecture: TypeAlias = Literal["linux/amd64", "linux/arm64"]
_InstallMode: TypeAlias = Literal["dependencies_only", "install_project"]

class Image:
    """An image spec: build it with ``from_*``; every ``with_*`` gives a new one."""

    base_image: str | None
    dockerfile: Path | None
    registry: str | None
    name: str | None
    platform: tuple[Architecture, ...]
    python_version: tuple[int, int]
    extendable: bool
    @property
    def uri(self) -> str: ...
    @classmethod
    def from_debian_base(
        cls,
        python_version: tuple[int, int] | None = None,
        flyte_version: str | None = None,
        install_flyte: bool = True,
        registry: str | None = None,
        registry_secret: str | Secret | None = None,
        name: str | None = None,
        platform: tuple[Architecture, ...] | None = None,
    ) -> Self: ...
    @classmethod
    def from_base(cls, image_uri: str) -> Self: ...
    @classmethod
    def from_ref_name(cls, name: str = "default") -> Self: ...
    @classmethod
    def from_uv_script(
        cls,
        script: Path | str,
        *,
        name: str,
        registry: str | None = None,
        registry_secret: str | Secret | None = None,
        python_version: tuple[int, int] | None = None,
        index_url: str | None = None,
        extra_index_urls: str | list[str] | tuple[str, ...] | None = None,
        pre: bool = False,
        extra_args: str | None = None,
        platform: tuple[Architecture, ...] | None = None,
        secret_mounts: SecretRequest | None = None,
    ) -> Self: ...
    @classmethod
    def from_pixi_script(
        cls,
        script: Path | str,
        *,
        name: str,
        registry: str | None = None,
        registry_secret: str | Secret | None = None,
        environment: str = "default",
        extra_args: str | None = None,
        platform: tuple[Architecture, ...] | None = None,
        secret_mounts: SecretRequest | None = None,
    ) -> Self: ...
    @classmethod
    def from_dockerfile(
        cls,
        file: Path | str,
        registry: str,
        name: str,
        platform: Architecture | tuple[Architecture, ...] | None = None,
    ) -> Self: ...
    def clone(
        self,
        registry: str | None = None,
        registry_secret: str | Secret | None = None,
        name: str | None = None,
        base_image: str | None = None,
        python_version: tuple[int, int] | None = None,
        addl_layer: Any | None = None,
        extendable: bool | None = None,
        platform: Architecture | tuple[Architecture, ...] | None = None,
    ) -> Self: ...
    def with_pip_packages(
        self,
        *packages: str,
        index_url: str | None = None,
        extra_index_urls: str | list[str] | tuple[str, ...] | None = None,
        pre: bool = False,
        extra_args: str | None = None,
        secret_mounts: SecretRequest | None = None,
    ) -> Self: ...
    def with_requirements(
        self,
        file: str | Path,
        index_url: str | None = None,
        extra_index_urls: str | list[str] | tuple[str, ...] | None = None,
        pre: bool = False,
        extra_args: str | None = None,
        secret_mounts: SecretRequest | None = None,
    ) -> Self: ...
    def with_apt_packages(
        self, *packages: str, secret_mounts: SecretRequest | None = None
    ) -> Self: ...
    def with_commands(
        self, commands: list[str], secret_mounts: SecretRequest | None = None
    ) -> Self: ...
    def with_env_vars(self, env_vars: dict[str, str]) -> Self: ...
    def with_workdir(self, workdir: str) -> Self: ...
    def with_source_folder(
        self, src: Path, dst: str = ".", copy_contents_only: bool = False
    ) -> Self: ...
    def with_source_file(self, src: Path | list[Path], dst: str = ".") -> Self: ...
    def with_code_bundle(
        self, copy_style: Literal["loaded_modules", "all"] = "loaded_modules", dst: str = "."
    ) -> Self: ...
    def with_dockerignore(self, path: Path) -> Self: ...
    def with_uv_project(
        self,
        pyproject_file: str | Path,
        uvlock: Path | None = None,
        index_url: str | None = None,
        extra_index_urls: list[str] | tuple[str, ...] | None = None,
        pre: bool = False,
        extra_args: str | None = None,
        secret_mounts: SecretRequest | None = None,
        project_install_mode: _InstallMode = "dependencies_only",
    ) -> Self: ...
    def with_poetry_project(
        self,
        pyproject_file: str | Path,
        poetry_lock: Path | None = None,
        extra_args: str | None = None,
        secret_mounts: SecretRequest | None = None,
        project_install_mode: _InstallMode = "dependencies_only",
    ) -> Self: ...
    def with_pixi_project(
        self,
        manifest_file: str | Path,
        pixi_lock: Path | None = None,
        environment: str = "default",
        extra_args: str | None = None,
        secret_mounts: SecretRequest | None = None,
        project_install_mode: _InstallMode = "dependencies_only",
    ) -> Self: ...
    def with_local_v2(self) -> Self: ...
    def with_local_rs_controller(self) -> Self: ...
    def with_local_v2_plugins(self, plugins: str | list[str] | None = None) -> Self: ...
    def validate(self) -> None: ...

# Private module: names flytec does not model are Any.
def __getattr__(name: str) -> Any: ...
