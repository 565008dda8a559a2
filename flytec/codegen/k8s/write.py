"""Writing manifests next to the plans: what ``flytec build --target argo|jobs`` calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flytec.codegen.k8s import Manifest, emit
from flytec.codegen.k8s.container import image_is_named
from flytec.codegen.k8s.options import FALLBACK_IMAGE, EmitOptions, Target
from flytec.model.plan import Plan


class ImageOptionError(ValueError):
    """A bad ``--image`` value."""


def parse_images(values: Sequence[str]) -> tuple[str | None, dict[str, str]]:
    """``--image NAME`` (every environment) and ``--image ENV=NAME`` (one environment)."""
    default: str | None = None
    per_env: dict[str, str] = {}
    for v in values:
        env, eq, image = v.partition("=")
        if eq:
            if not env or not image:
                raise ImageOptionError(f"--image {v!r}: expected NAME or ENV=NAME")
            per_env[env] = image
        elif default is not None and default != v:
            raise ImageOptionError(f"--image given twice without ENV= ({default!r}, {v!r})")
        else:
            default = v
    for name in [default, *per_env.values()]:
        if name is not None and (not name.strip() or any(c.isspace() for c in name)):
            raise ImageOptionError(f"--image {name!r}: not an image name")
    return default, per_env


@dataclass
class WriteResult:
    manifests: list[Manifest]
    files: list[Path]
    problems: list[str] = field(default_factory=list)
    fallback_envs: list[str] = field(default_factory=list)


def write_manifests(
    plans: Sequence[Plan],
    out_dir: Path,
    target: Target,
    *,
    workflow_template: bool = False,
    images: Sequence[str] = (),
    validate: bool = False,
) -> WriteResult:
    """Emit and write one file per task; validate first when asked (nothing is written then)."""
    default, per_env = parse_images(images)
    options = EmitOptions(target=target, workflow_template=workflow_template,
                          default_image=default, images=per_env)
    manifests = emit(plans, options)
    problems: list[str] = []
    if validate:
        from flytec.codegen.k8s.validate import validate_objects

        for m in manifests:
            problems += [f"{m.filename}: {p}" for p in validate_objects(m.objects)]
        if problems:
            return WriteResult(manifests, [], problems)
    files: list[Path] = []
    for m in manifests:
        path = out_dir / m.filename
        path.write_text(m.text, encoding="utf-8")
        files.append(path)
    fallback = sorted({
        env.name or "?"
        for p in plans
        for env in [p.environment, *(c.environment for c in p.callees.values())]
        if not image_is_named(env, options)
    })
    return WriteResult(manifests, files, [], fallback)


__all__ = ["FALLBACK_IMAGE", "ImageOptionError", "WriteResult", "parse_images",
           "write_manifests"]
