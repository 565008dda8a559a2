"""Pieces shared by the Argo and Jobs emitters: labels, volumes, the container context."""

from __future__ import annotations

from typing import Any

from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.model import ContainerTemplate
from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.options import (
    ARTIFACTS_IN,
    ARTIFACTS_OUT,
    OUTPUTS_DIR,
    PLAN_DIR,
    EmitOptions,
)
from flytec.codegen.plan import plan_to_json
from flytec.model.plan import Environment, Plan

PLAN_VOLUME = "flytec-plan"
OUTPUTS_VOLUME = "flytec-outputs"
ARTIFACTS_VOLUME = "flytec-artifacts"
MOUNTS: list[dict[str, Any]] = [
    {"name": PLAN_VOLUME, "mountPath": PLAN_DIR, "readOnly": True},
    {"name": OUTPUTS_VOLUME, "mountPath": OUTPUTS_DIR},
]
#: where the worker writes output artifacts (templates that declare some)
ARTIFACTS_MOUNT = {"name": ARTIFACTS_VOLUME, "mountPath": ARTIFACTS_OUT}


def volumes(config_map: str, artifacts: bool = False) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"name": PLAN_VOLUME, "configMap": {"name": config_map}},
        {"name": OUTPUTS_VOLUME, "emptyDir": {}},
    ]
    if artifacts:
        out.append({"name": ARTIFACTS_VOLUME, "emptyDir": {}})
    return out


def labels(plan: Plan) -> dict[str, str]:
    return {"app.kubernetes.io/managed-by": "flytec", "flytec.dev/task": label(plan.task)}


def object_annotations(plan: Plan, mode: str, reasons: list[str]) -> dict[str, str]:
    out = {
        "flytec.dev/task": plan.task,
        "flytec.dev/mode": mode,
        "flytec.dev/code-hash": plan.source.code_hash,
        "flytec.dev/source": plan.source.location,
    }
    if reasons:
        out["flytec.dev/driver-reason"] = "; ".join(reasons)
    return out


def config_map_context(plan: Plan, name: str, extra: dict[str, str] | None = None
                       ) -> dict[str, Any]:
    data = {"plan.json": plan_to_json(plan)}
    data.update(extra or {})
    return {"name": name, "data": data,
            "annotations": {"flytec.dev/task": plan.task}}


def container_context(
    env: Environment, args: list[str], options: EmitOptions, config_map: str | None = None
) -> dict[str, Any]:
    """The container; with ``config_map`` (Argo), env var values holding ``{{`` are read from
    that ConfigMap (see :func:`flytec.codegen.k8s.container.env_of`)."""
    return {
        "image": ctr.image_of(env, options),
        "command": list(options.command),
        "args": args,
        "workdir": options.workdir,
        "env": ctr.env_of(env, config_map),
        "resources": ctr.resources_of(env),
        "mounts": MOUNTS,
    }


def template_context(t: ContainerTemplate, options: EmitOptions, config_map: str
                     ) -> dict[str, Any]:
    """An Argo container template's values (retries, deadline and cache only for tasks);
    ``config_map`` is the plan's, which also holds env var values Argo must not see."""
    from flytec.codegen.k8s.driver import MEMO_CONFIGMAP, MEMO_MAX_AGE

    env = t.environment
    ctx = container_context(env, t.args, options, config_map)
    if t.artifact_outputs:
        ctx["mounts"] = [*MOUNTS, ARTIFACTS_MOUNT]
    ctx.update({
        "name": t.name,
        "annotations": t.annotations,
        "inputs": [{"name": p} for p in t.inputs],
        "input_artifacts": [{"name": a, "path": f"{ARTIFACTS_IN}/{a}", "optional": True}
                            for a in t.artifact_inputs],
        "outputs": [{"name": o, "valueFrom": {"path": f"{OUTPUTS_DIR}/{o}.json"}}
                    for o in t.outputs],
        "output_artifacts": [{"name": a, "path": f"{ARTIFACTS_OUT}/{a}", "optional": True}
                             for a in t.artifact_outputs],
        "retry": ctr.argo_retry_strategy(env) if t.task_settings else None,
        "deadline": ctr.argo_deadline(env) if t.task_settings else None,
        "memoize": None if t.memoize_key is None else {
            "key": t.memoize_key,
            "maxAge": MEMO_MAX_AGE,
            "cache": {"configMap": {"name": MEMO_CONFIGMAP}},
        },
    })
    return ctx
