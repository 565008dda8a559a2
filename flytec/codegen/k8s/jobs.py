"""``--target jobs``: a ``batch/v1`` Job per task, running it in-process, plus its ConfigMap.

Without Argo there is no engine to schedule sub-tasks, so every task runs as a driver: the
worker executes the body and its sub-tasks in one pod, with the task's environment. The
ConfigMap holds the plan and ``inputs.json`` (the defaults; fill in the required inputs).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.driver import config_map_name
from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.objects import (
    config_map_context,
    container_context,
    labels,
    object_annotations,
    volumes,
)
from flytec.codegen.k8s.options import INPUTS_FILE, OUTPUTS_DIR, PLAN_FILE, EmitOptions
from flytec.codegen.k8s.render import render_objects
from flytec.model.plan import Plan
from flytec.model.safe_text import escape_json_text


def default_inputs(plan: Plan) -> dict[str, Any]:
    return {i.name: i.default for i in plan.inputs if not i.required}


def job_objects(plan: Plan, plans: Mapping[str, Plan], options: EmitOptions
                ) -> list[dict[str, Any]]:
    env = plan.environment
    cm = config_map_name(plan)
    args = ["--plan", PLAN_FILE, "--task", plan.task, "--inputs-file", INPUTS_FILE,
            "--outputs", OUTPUTS_DIR]
    retry = ctr.retry_strategy_of(env)
    attempts = 1 + (retry["limit"] if retry else 0)
    deadline = ctr.deadline_of(env)
    notes = object_annotations(plan, "driver", [])
    required = [i.name for i in plan.inputs if i.required]
    if required:
        notes["flytec.dev/required-inputs"] = ",".join(required)
    _, accel = ctr.gpu_of(env)
    job = {
        "name": label(plan.task),
        "annotations": notes,
        "backoff_limit": attempts - 1,
        "deadline": deadline * attempts if deadline else None,
        "pod_annotations": {ctr.ACCELERATOR_ANNOTATION: accel} if accel else {},
        "service_account": ctr.service_account_of(env, options),
        "volumes": volumes(cm),
        "container": container_context(env, args, options),
    }
    inputs = escape_json_text(json.dumps(default_inputs(plan), indent=2, ensure_ascii=False)
                              ) + "\n"
    return render_objects(
        "job.yaml.j2",
        namespace=options.namespace,
        labels=labels(plan),
        job=job,
        **config_map_context(plan, cm, {"inputs.json": inputs}),
    )
