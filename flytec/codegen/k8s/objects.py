"""Pieces shared by the Argo and Jobs emitters: labels, volumes, the container context."""

from __future__ import annotations

from typing import Any

from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.model import ContainerTemplate
from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.options import OUTPUTS_DIR, PLAN_DIR, EmitOptions
from flytec.codegen.plan import plan_to_json
from flytec.model.plan import Environment, Plan

PLAN_VOLUME = "flytec-plan"
OUTPUTS_VOLUME = "flytec-outputs"
MOUNTS: list[dict[str, Any]] = [
    {"name": PLAN_VOLUME, "mountPath": PLAN_DIR, "readOnly": True},
    {"name": OUTPUTS_VOLUME, "mountPath": OUTPUTS_DIR},
]


def volumes(config_map: str) -> list[dict[str, Any]]:
    return [
        {"name": PLAN_VOLUME, "configMap": {"name": config_map}},
        {"name": OUTPUTS_VOLUME, "emptyDir": {}},
    ]


def labels(plan: Plan) -> dict[str, str]:
    return {"app.kubernetes.io/managed-by": "flytec", "flytec.dev/task": label(plan.task)}


def object_annotations(plan: Plan, mode: str, reasons: list[str]) -> dict[str, str]:
    out = {
        "flytec.dev/task": plan.task,
        "flytec.dev/mode": mode,
        "flytec.dev/code-hash": plan.source.code_hash,
        "flytec.dev/source": f"{plan.source.path}:{plan.source.line}",
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
    env: Environment, args: list[str], options: EmitOptions
) -> dict[str, Any]:
    return {
        "image": ctr.image_of(env, options),
        "command": list(options.command),
        "args": args,
        "workdir": options.workdir,
        "env": ctr.env_of(env),
        "resources": ctr.resources_of(env),
        "mounts": MOUNTS,
    }


def template_context(t: ContainerTemplate, options: EmitOptions) -> dict[str, Any]:
    """An Argo container template's values (retries, deadline and cache only for tasks)."""
    from flytec.codegen.k8s.lower import MEMO_CONFIGMAP, MEMO_MAX_AGE

    env = t.environment
    ctx = container_context(env, t.args, options)
    ctx.update({
        "name": t.name,
        "annotations": t.annotations,
        "inputs": [{"name": p} for p in t.inputs],
        "outputs": [{"name": o, "valueFrom": {"path": f"{OUTPUTS_DIR}/{o}.json"}}
                    for o in t.outputs],
        "retry": ctr.retry_strategy_of(env) if t.task_settings else None,
        "deadline": ctr.deadline_of(env) if t.task_settings else None,
        "memoize": None if t.memoize_key is None else {
            "key": t.memoize_key,
            "maxAge": MEMO_MAX_AGE,
            "cache": {"configMap": {"name": MEMO_CONFIGMAP}},
        },
    })
    return ctx
