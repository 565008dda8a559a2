"""The driver form of a plan, and what every form shares (plan ConfigMap, memoize keys).

A *driver* workflow runs the whole task in one pod, its sub-tasks in-process (Flyte 1's
``@dynamic``): the form of leaf tasks, dynamic plans and plans with nodes that have no DAG
form yet (see :mod:`flytec.codegen.k8s.lower`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from flytec.codegen.k8s import artifacts as art
from flytec.codegen.k8s import container as ctr
from flytec.codegen.k8s.model import ContainerTemplate, DagTask, DagTemplate, WorkflowSpec
from flytec.codegen.k8s.names import label
from flytec.codegen.k8s.options import OUTPUTS_DIR, PLAN_FILE, EmitOptions
from flytec.codegen.plan.assemble import plan_to_json
from flytec.model.engine_escape import json_text
from flytec.model.plan import Environment, Plan

#: Argo memoize entries never expire unless the cache ConfigMap is cleared (Flyte has no age)
MEMO_MAX_AGE = "87600h"
MEMO_CONFIGMAP = "flytec-cache"
#: the task, version and salt as they may stand in the memoize expression's string literal
_PLAIN_HEAD = re.compile(r"[-A-Za-z0-9_.:/@+=,| ]*")


def config_map_name(plan: Plan) -> str:
    """``flytec-plan-<task>-<hash>``: a new name for every new plan, so runs never mix."""
    # the canonical plan text: optional fields a plan does not use leave the name unchanged
    digest = hashlib.sha256(plan_to_json(plan).encode()).hexdigest()[:10]
    return label(f"flytec-plan-{plan.task}", 63 - 11) + "-" + digest


def code_version(task: str, env: Environment, plans: Mapping[str, Plan], fallback: str) -> str:
    v = env.cache.get("version_override")
    if isinstance(v, str) and v:
        return v
    p = plans.get(task)
    return p.source.code_hash if p is not None else fallback


def memo_key(task: str, env: Environment, inputs: list[str], version: str) -> str | None:
    """``cache="auto"``: a hash of the task, its code version, the salt and its inputs."""
    if not ctr.caches(env):
        return None
    ignored = env.cache.get("ignored_inputs") or []
    salt = env.cache.get("salt")
    text = f"{task}|{version}|{salt if isinstance(salt, str) else ''}"
    if not _PLAIN_HEAD.fullmatch(text):
        # a salt or version with quotes, `}}`, `{{`, `$`... would end the expression or the
        # string early: only its digest enters the expression (still one key per text)
        text = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    head = f"'{text}'"
    parts = [head] + [
        f"'|{p}=' + inputs.parameters['{p}']" for p in inputs if p not in ignored
    ]
    return "flytec-{{=sprig.sha256sum(" + " + ".join(parts) + ")}}"


def parameters_of(plan: Plan) -> list[tuple[str, str | None]]:
    """The workflow's parameters: (name, default JSON or None when required)."""
    out: list[tuple[str, str | None]] = []
    for i in plan.inputs:
        out.append((i.name, None if i.required else json_text(i.default)))
    return out


def driver_spec(
    plan: Plan, plans: Mapping[str, Plan], options: EmitOptions, reasons: list[str]
) -> WorkflowSpec:
    """One container runs the whole task in-process (Flyte 1's ``@dynamic``)."""
    name = label(plan.task)
    inputs = [i.name for i in plan.inputs]
    outputs = [o.name for o in plan.outputs]
    spill = [o.name for o in plan.outputs if not art.scalar_type(o.checked_type or o.type)]
    args = ["--plan", PLAN_FILE, "--task", plan.task, "--outputs", OUTPUTS_DIR]
    for i in inputs:
        args += ["--input", f"{i}={{{{inputs.parameters.{i}}}}}"]
    args += art.output_args(spill)
    version = code_version(plan.task, plan.environment, plans, plan.source.code_hash)
    _, accel = ctr.gpu_of(plan.environment)
    tmpl = ContainerTemplate(
        name=name,
        environment=plan.environment,
        args=args,
        inputs=inputs,
        outputs=outputs,
        artifact_outputs=spill,
        memoize_key=memo_key(plan.task, plan.environment, inputs, version),
        annotations={ctr.ACCELERATOR_ANNOTATION: accel} if accel else {},
    )
    entry = DagTemplate(
        name=label(f"{plan.task}-run") if name != "run" else "run-task",
        tasks=[DagTask(name=name, template=name,
                       arguments=[(i, f"{{{{workflow.parameters.{i}}}}}") for i in inputs])],
        outputs=[(o, f"{{{{tasks.{name}.outputs.parameters.{o}}}}}") for o in outputs],
        artifact_outputs=[(o, art.from_step(name, o)) for o in spill],
    )
    return WorkflowSpec(
        name=label(plan.task),
        task=plan.task,
        entrypoint=entry.name,
        parameters=parameters_of(plan),
        dags=[entry],
        containers=[tmpl],
        config_map=config_map_name(plan),
        mode="driver",
        reasons=reasons,
        service_account=ctr.service_account_of(plan.environment, options),
    )
