"""Which values may travel as Argo artifacts, and the references and flags that pass them.

Every step output is an output *parameter* (``/flytec/outputs/<name>.json``); most are also
an *optional output artifact* (``/flytec/artifacts/out/<name>``). At run time the worker
decides: a value holding a ``flyte.io`` File, Dir or DataFrame, or whose JSON is over the
parameter limit, is written as the artifact and the parameter holds a marker; otherwise no
artifact is written (Argo skips an optional one). A consumer gets both, the artifact as an
optional input artifact, and reads the artifact only when the parameter is a marker
(:mod:`flytec.runtime.artifacts`). See docs/kubernetes.md, "Parameters and artifacts".

Outputs that stay parameters: a branch's ``arm``, outputs annotated as numbers, bools or
dates (never large), and, because Argo has no artifact form for them, the outputs of fan-out
items (Argo collects only the parameters of ``withParam`` children) and lists a ``withParam``
iterates. Plans where those hold a File, Dir or DataFrame (by the annotation's name) run as
driver pods.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flytec.codegen.k8s.options import ARTIFACTS_IN, ARTIFACTS_OUT
from flytec.model.plan import Plan

#: Annotation names whose values are files or tables by reference (``flyte.io``), and raw
#: dataframes, which cannot be JSON at all.
IO_NAMES = frozenset({"File", "Dir", "EmptyDir", "DataFrame"})
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def io_type(annotation: str | None) -> bool:
    """Whether an annotation names a File, Dir or DataFrame anywhere in it: ``File``,
    ``flyte.io.Dir``, ``list[DataFrame]``, ``pd.DataFrame``, ``tuple[int, File]``..."""
    if not annotation:
        return False
    return any(n.rsplit(".", 1)[-1] in IO_NAMES for n in _DOTTED.findall(annotation))


#: Annotations whose JSON is always small: these outputs stay parameters.
SCALARS = frozenset({"int", "float", "bool", "None", "complex", "datetime", "date", "time",
                     "timedelta", "datetime.datetime", "datetime.date", "datetime.time",
                     "datetime.timedelta", "builtins.int", "builtins.float", "builtins.bool"})


def scalar_type(annotation: str | None) -> bool:
    """Whether an annotation is a number, a bool, None or a date/time (never large)."""
    return annotation is not None and annotation.replace(" ", "") in SCALARS


def output_type(plans: Mapping[str, Plan], task: str, output: str) -> str | None:
    """The annotation of output ``output`` of ``task``, from its own plan (None: unknown)."""
    plan = plans.get(task)
    if plan is None:
        return None
    for o in plan.outputs:
        if o.name == output:
            return o.checked_type or o.type
    return None


def from_step(step: str, output: str) -> str:
    return f"{{{{tasks.{step}.outputs.artifacts.{output}}}}}"


def from_input(name: str) -> str:
    return f"{{{{inputs.artifacts.{name}}}}}"


def input_args(key: str, name: str) -> list[str]:
    """The worker flag: the value ``key`` (an input name or ``node.output``) may be in the
    input artifact ``name``."""
    return ["--artifact-input", f"{key}={ARTIFACTS_IN}/{name}"]


def output_args(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        out += ["--artifact-output", f"{n}={ARTIFACTS_OUT}/{n}"]
    return out
