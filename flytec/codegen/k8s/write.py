"""Writing manifests next to the plans: what ``flytec build --target argo|jobs`` calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flytec.codegen.k8s import Manifest, emit
from flytec.codegen.k8s.container import image_is_named
from flytec.codegen.k8s.options import FALLBACK_IMAGE, EmitOptions, Target
from flytec.codegen.k8s.safety import engine_syntax_problems, environment_problems
from flytec.model.kube_values import image_problem
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
        problem = None if name is None else image_problem(name)
        if problem is not None:
            raise ImageOptionError(f"--image {name!r}: not an image name ({problem})")
    return default, per_env


@dataclass
class WriteResult:
    manifests: list[Manifest]
    files: list[Path]
    problems: list[str] = field(default_factory=list)
    fallback_envs: list[str] = field(default_factory=list)
    #: values the cluster would refuse, or that Argo/the kubelet would rewrite (nothing is
    #: written then): ``path:line: task `T`: ...`` (see :mod:`flytec.codegen.k8s.safety`)
    rejected: list[str] = field(default_factory=list)


def write_manifests(
    plans: Sequence[Plan],
    out_dir: Path,
    target: Target,
    *,
    workflow_template: bool = False,
    images: Sequence[str] = (),
    validate: bool = False,
) -> WriteResult:
    """Emit and write one file per task. Nothing is written when a value would be refused by
    the cluster or rewritten by Argo or the kubelet (``rejected``), or, with ``validate``,
    when an object is invalid (``problems``)."""
    default, per_env = parse_images(images)
    options = EmitOptions(target=target, workflow_template=workflow_template,
                          default_image=default, images=per_env)
    manifests = emit(plans, options)
    rejected = environment_problems(list(plans), options)
    for m in manifests:
        rejected += engine_syntax_problems(m.objects, m.filename)
    if rejected:
        return WriteResult(manifests, [], rejected=rejected)
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
