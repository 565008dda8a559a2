"""The workflow as flytec lowers it, before it becomes YAML: steps, templates, values.

:mod:`flytec.codegen.k8s.lower` builds these from a plan; :mod:`flytec.codegen.k8s.argo`
renders them through the jinja2 templates. Every string here is data: the templates encode it
with ``tojson``, never by interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flytec.model.plan import Environment


@dataclass
class ContainerTemplate:
    """An Argo container template: one task, or one driver step (glue, branch, trace...)."""

    name: str
    environment: Environment
    #: the worker's arguments after the command (may hold ``{{inputs.parameters.x}}``)
    args: list[str]
    inputs: list[str] = field(default_factory=list)
    #: output parameter names; each is read from ``/flytec/outputs/<name>.json``
    outputs: list[str] = field(default_factory=list)
    #: input artifacts (optional; unpacked at ``/flytec/artifacts/in/<name>``)
    artifact_inputs: list[str] = field(default_factory=list)
    #: outputs that may also travel as artifacts (``/flytec/artifacts/out/<name>``, optional)
    artifact_outputs: list[str] = field(default_factory=list)
    #: the memoize key (cache="auto"), or None
    memoize_key: str | None = None
    #: whether the environment's retries and timeout apply (tasks only; not driver steps)
    task_settings: bool = True
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass
class DagTask:
    name: str
    template: str
    arguments: list[tuple[str, str]] = field(default_factory=list)
    #: (artifact name, ``from`` reference); every one is optional
    artifacts: list[tuple[str, str]] = field(default_factory=list)
    depends: str | None = None
    when: str | None = None
    with_param: str | None = None


@dataclass
class DagTemplate:
    name: str
    tasks: list[DagTask]
    inputs: list[str] = field(default_factory=list)
    #: (output name, ``valueFrom.parameter`` reference)
    outputs: list[tuple[str, str]] = field(default_factory=list)
    #: optional input artifacts it passes on to its tasks
    artifact_inputs: list[str] = field(default_factory=list)
    #: (output artifact name, ``from`` reference); every one is optional
    artifact_outputs: list[tuple[str, str]] = field(default_factory=list)
    parallelism: int | None = None


@dataclass
class WorkflowSpec:
    """Everything one Argo Workflow holds."""

    name: str
    task: str
    entrypoint: str
    #: (name, default JSON text or None when the input is required)
    parameters: list[tuple[str, str | None]]
    dags: list[DagTemplate]
    containers: list[ContainerTemplate]
    config_map: str
    #: "static" (a DAG of steps) or "driver" (one pod runs the task in-process)
    mode: str
    reasons: list[str] = field(default_factory=list)
    service_account: str | None = None
