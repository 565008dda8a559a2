"""Kubernetes manifests of plans: Argo Workflows (``--target argo``) or Jobs (``--target jobs``).

Library API::

    from flytec.codegen.k8s import EmitOptions, emit
    for m in emit(plans, EmitOptions(target="argo")):
        (out_dir / m.filename).write_text(m.text)

See docs/kubernetes.md for what each field comes from and how to apply the manifests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flytec.codegen.k8s.argo import argo_objects
from flytec.codegen.k8s.jobs import job_objects
from flytec.codegen.k8s.names import UniqueNames
from flytec.codegen.k8s.options import EmitOptions, Target
from flytec.codegen.k8s.render import dump_yaml
from flytec.model.plan import Plan


@dataclass
class Manifest:
    """One file: the objects of one task."""

    task: str
    filename: str
    objects: list[dict[str, Any]]
    mode: str  # "static" | "driver"
    reasons: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return dump_yaml(self.objects)


def emit(plans: Sequence[Plan], options: EmitOptions | None = None) -> list[Manifest]:
    """Manifests of every plan (callees are looked up among ``plans`` for cache versions)."""
    options = options or EmitOptions()
    by_task: Mapping[str, Plan] = {p.task: p for p in plans}
    files = UniqueNames(200)
    out: list[Manifest] = []
    for plan in plans:
        stem = files.get(f"{plan.task}:{plan.source.module}", plan.task)
        if options.target == "jobs":
            objects = job_objects(plan, by_task, options)
            out.append(Manifest(plan.task, f"{stem}.jobs.yaml", objects, "driver"))
        else:
            spec, objects = argo_objects(plan, by_task, options)
            out.append(Manifest(plan.task, f"{stem}.argo.yaml", objects, spec.mode,
                                spec.reasons))
    return out


__all__ = ["EmitOptions", "Manifest", "Target", "emit"]
