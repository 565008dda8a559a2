"""``flyte.Image``: builders are accepted and recorded, never built (locally code runs as is)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Image:
    base_image: str | None = None
    name: str | None = None
    registry: str | None = None
    python_version: tuple[int, int] | None = None
    layers: tuple[tuple[str, Any], ...] = field(default=())

    def __post_init__(self) -> None:
        if not getattr(Image, "_flytec_ok", False):
            raise TypeError("Use the Image.from_* class methods to create an Image")

    @classmethod
    def _make(cls, **kwargs: Any) -> Image:
        Image._flytec_ok = True  # type: ignore[attr-defined]
        try:
            return cls(**kwargs)
        finally:
            Image._flytec_ok = False  # type: ignore[attr-defined]

    def _layer(self, kind: str, *args: Any, **kwargs: Any) -> Image:
        Image._flytec_ok = True  # type: ignore[attr-defined]
        try:
            return replace(self, layers=self.layers + ((kind, (args, kwargs)),))
        finally:
            Image._flytec_ok = False  # type: ignore[attr-defined]

    @classmethod
    def from_debian_base(
        cls,
        python_version: tuple[int, int] | None = None,
        flyte_version: str | None = None,
        install_flyte: bool = True,
        registry: str | None = None,
        registry_secret: Any = None,
        name: str | None = None,
        platform: Any = None,
    ) -> Image:
        return cls._make(
            base_image="debian", name=name, registry=registry, python_version=python_version
        )

    @classmethod
    def from_base(cls, image_uri: str) -> Image:
        return cls._make(base_image=image_uri)

    @classmethod
    def from_ref_name(cls, name: str = "default") -> Image:
        return cls._make(name=name)

    @classmethod
    def from_uv_script(
        cls, script: Any, *, name: str, registry: str | None = None, **kwargs: Any
    ) -> Image:
        return cls._make(name=name, registry=registry)

    @classmethod
    def from_pixi_script(
        cls, script: Any, *, name: str, registry: str | None = None, **kwargs: Any
    ) -> Image:
        return cls._make(name=name, registry=registry)

    @classmethod
    def from_dockerfile(
        cls, file: Any, registry: str | None = None, name: str | None = None, platform: Any = None
    ) -> Image:
        return cls._make(name=name, registry=registry)

    def clone(
        self,
        registry: str | None = None,
        registry_secret: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> Image:
        return self._layer("clone", registry=registry, name=name, **kwargs)

    @property
    def uri(self) -> str:
        return self.base_image or f"{self.registry or 'local'}/{self.name or 'flyte'}:local"

    def __getattr__(self, name: str) -> Any:
        # with_pip_packages, with_apt_packages, with_requirements, with_source_folder, ...
        if name.startswith("with_"):
            return lambda *args, **kwargs: self._layer(name, *args, **kwargs)
        raise AttributeError(name)
