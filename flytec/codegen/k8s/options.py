"""What ``flytec build --target argo|jobs`` is told beyond the plans themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Target = Literal["argo", "jobs"]

#: Where the worker finds things inside the container (see docs/kubernetes.md).
PLAN_DIR = "/flytec/plan"
PLAN_FILE = f"{PLAN_DIR}/plan.json"
INPUTS_FILE = f"{PLAN_DIR}/inputs.json"
OUTPUTS_DIR = "/flytec/outputs"
#: Argo unpacks input artifacts at ``<ARTIFACTS_IN>/<name>``; the worker writes output
#: artifacts to ``<ARTIFACTS_OUT>/<name>`` (an emptyDir)
ARTIFACTS_IN = "/flytec/artifacts/in"
ARTIFACTS_OUT = "/flytec/artifacts/out"
DEFAULT_WORKDIR = "/app"
#: The image used for an environment whose image flytec cannot name (a builder or "auto")
#: when no ``--image`` was given.
FALLBACK_IMAGE = "flytec-project:latest"


@dataclass(frozen=True)
class EmitOptions:
    """Settings of one emission; every field has a documented default."""

    target: Target = "argo"
    #: a WorkflowTemplate instead of a Workflow (argo only)
    workflow_template: bool = False
    #: image for environments without a string image; ``images`` maps env names to images
    default_image: str | None = None
    images: dict[str, str] = field(default_factory=dict)
    service_account: str | None = None
    namespace: str | None = None
    #: the project directory inside the image (the container's working directory)
    workdir: str = DEFAULT_WORKDIR
    #: the command that starts the worker
    command: tuple[str, ...] = ("flytec", "worker")
