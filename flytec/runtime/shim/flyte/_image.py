"""``flyte.Image``: builders are accepted and recorded, never built (locally code runs as is)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional, Tuple


@dataclass(frozen=True)
class Image:
    base_image: Optional[str] = None
    name: Optional[str] = None
    registry: Optional[str] = None
    python_version: Optional[Tuple[int, int]] = None
    layers: Tuple[Tuple[str, Any], ...] = field(default=())

    def __post_init__(self) -> None:
        if not getattr(Image, "_flytec_ok", False):
            raise TypeError("Use the Image.from_* class methods to create an Image")

    @classmethod
    def _make(cls, **kwargs: Any) -> "Image":
        Image._flytec_ok = True  # type: ignore[attr-defined]
        try:
            return cls(**kwargs)
        finally:
            Image._flytec_ok = False  # type: ignore[attr-defined]

    def _layer(self, kind: str, *args: Any, **kwargs: Any) -> "Image":
        Image._flytec_ok = True  # type: ignore[attr-defined]
        try:
            return replace(self, layers=self.layers + ((kind, (args, kwargs)),))
        finally:
            Image._flytec_ok = False  # type: ignore[attr-defined]

    @classmethod
    def from_debian_base(cls, python_version: Optional[Tuple[int, int]] = None,
                         flyte_version: Optional[str] = None, install_flyte: bool = True,
                         registry: Optional[str] = None, registry_secret: Any = None,
                         name: Optional[str] = None, platform: Any = None) -> "Image":
        return cls._make(base_image="debian", name=name, registry=registry,
                         python_version=python_version)

    @classmethod
    def from_base(cls, image_uri: str) -> "Image":
        return cls._make(base_image=image_uri)

    @classmethod
    def from_ref_name(cls, name: str = "default") -> "Image":
        return cls._make(name=name)

    @classmethod
    def from_uv_script(cls, script: Any, *, name: str, registry: Optional[str] = None,
                       **kwargs: Any) -> "Image":
        return cls._make(name=name, registry=registry)

    @classmethod
    def from_pixi_script(cls, script: Any, *, name: str, registry: Optional[str] = None,
                         **kwargs: Any) -> "Image":
        return cls._make(name=name, registry=registry)

    @classmethod
    def from_dockerfile(cls, file: Any, registry: Optional[str] = None, name: Optional[str] = None,
                        platform: Any = None) -> "Image":
        return cls._make(name=name, registry=registry)

    def clone(self, registry: Optional[str] = None, registry_secret: Any = None,
              name: Optional[str] = None, **kwargs: Any) -> "Image":
        return self._layer("clone", registry=registry, name=name, **kwargs)

    @property
    def uri(self) -> str:
        return self.base_image or f"{self.registry or 'local'}/{self.name or 'flyte'}:local"

    def __getattr__(self, name: str) -> Any:
        # with_pip_packages, with_apt_packages, with_requirements, with_source_folder, ...
        if name.startswith("with_"):
            return lambda *args, **kwargs: self._layer(name, *args, **kwargs)
        raise AttributeError(name)
