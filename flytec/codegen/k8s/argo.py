"""Argo Workflows: a ``Workflow`` (or ``WorkflowTemplate``) per task, after its plan ConfigMap."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flytec.codegen.k8s.container import moved_env_values
from flytec.codegen.k8s.lower import lower
from flytec.codegen.k8s.model import WorkflowSpec
from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.objects import (
    config_map_context,
    labels,
    object_annotations,
    template_context,
    volumes,
)
from flytec.codegen.k8s.options import EmitOptions
from flytec.codegen.k8s.render import render_objects
from flytec.model.plan import Plan


def workflow_context(spec: WorkflowSpec, plan: Plan, options: EmitOptions) -> dict[str, Any]:
    template = options.workflow_template
    return {
        "kind": "WorkflowTemplate" if template else "Workflow",
        "name": spec.name,
        "generate_name": None if template else label(spec.name, 56) + "-",
        "annotations": object_annotations(plan, spec.mode, spec.reasons),
        "entrypoint": spec.entrypoint,
        "service_account": spec.service_account,
        "parameters": [{"name": n, "value": v} for n, v in spec.parameters],
        "volumes": volumes(spec.config_map, any(c.artifact_outputs for c in spec.containers)),
        "dags": [
            {
                "name": d.name,
                "inputs": [{"name": p} for p in d.inputs],
                "input_artifacts": [{"name": a, "optional": True} for a in d.artifact_inputs],
                "outputs": [{"name": n, "valueFrom": {"parameter": ref}} for n, ref in d.outputs],
                "output_artifacts": _artifacts(d.artifact_outputs),
                "parallelism": d.parallelism,
                "tasks": [
                    {
                        "name": t.name,
                        "template": t.template,
                        "depends": t.depends,
                        "when": t.when,
                        "with_param": t.with_param,
                        "arguments": [{"name": n, "value": v} for n, v in t.arguments],
                        "artifacts": _artifacts(t.artifacts),
                    }
                    for t in d.tasks
                ],
            }
            for d in spec.dags
        ],
        "containers": [template_context(c, options, spec.config_map) for c in spec.containers],
    }


def _artifacts(refs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Optional artifacts taken ``from`` other steps: absent when the step wrote none or was
    skipped (Argo then leaves them out)."""
    return [{"name": n, "from": ref, "optional": True} for n, ref in refs]


def argo_objects(plan: Plan, plans: Mapping[str, Plan], options: EmitOptions
                 ) -> tuple[WorkflowSpec, list[dict[str, Any]]]:
    """The plan's ConfigMap and Workflow, as objects."""
    spec = lower(plan, plans, options)
    objects = render_objects(
        "workflow.yaml.j2",
        namespace=options.namespace,
        labels=labels(plan),
        wf=workflow_context(spec, plan, options),
        **config_map_context(plan, spec.config_map, moved_env_values(
            [c.environment for c in spec.containers])),
    )
    return spec, objects
