"""The worker: what runs in every container flytec emits for Kubernetes.

``flytec worker`` (or ``python -m flytec.runtime.worker``) runs one step of a plan and writes
its outputs where Argo collects them. The contract (docs/kubernetes.md, "The worker"):

* ``--plan FILE``: the plan JSON (mounted from the plan's ConfigMap at /flytec/plan/);
* ``--task ENV.FN``: run that task (the plan's own task, or one it calls) with its inputs,
  its sub-tasks in-process; or ``--node ID``: run one node of the plan (a branch condition,
  a traced function, a statement run for its side effects, ``--binding NAME`` to compute a
  task's input from glue, ``@outputs`` for the workflow's outputs);
* inputs: ``--input NAME=VALUE`` (JSON; a ``str`` may be given raw), ``--inputs-file FILE``
  (a JSON object), ``--value NODE.OUTPUT=JSON`` (an earlier step's output); when such a value
  is an artifact marker, ``--artifact-input KEY=DIR`` (KEY the input's NAME or NODE.OUTPUT)
  says where Argo put the artifact (see :mod:`flytec.runtime.artifacts`);
* outputs: ``<outputs dir>/<name>.json``, one JSON document each (``o0``, ``o1``..., the
  binding names for ``--binding``); a branch writes ``arm.json``, the arm's name as plain
  text; on failure ``error.json`` holds ``{"code", "message"}``. An output named by
  ``--artifact-output NAME=DIR`` that holds a File/Dir/DataFrame, or is too large for a
  parameter, is written to DIR as an artifact and its ``.json`` file holds a marker.

Exit codes: 0 done, 1 the user's code failed (one line on stderr), 2 bad usage or plan.
The retries and timeout of a task are Argo's (``retryStrategy``, ``activeDeadlineSeconds``):
the worker makes one attempt.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flytec.model.plan import Plan
from flytec.model.plan_checks import load_plan_text
from flytec.runtime import artifacts
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.worker_values import Modules, Values, output_types, plain, split_outputs

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


@dataclass
class WorkerRequest:
    plan: Path
    task: str | None = None
    node: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    bindings: list[str] = field(default_factory=list)
    inputs_file: Path | None = None
    outputs: Path = Path("/flytec/outputs")
    root: Path = field(default_factory=Path.cwd)
    #: where Argo put the artifact of an input (by input name or ``node.output``)
    artifact_inputs: dict[str, Path] = field(default_factory=dict)
    #: the outputs that may travel as artifacts, and the directory of each
    artifact_outputs: dict[str, Path] = field(default_factory=dict)


class TaskFailed(Exception):
    """The user's code failed: ``code`` and ``message`` as Flyte reports them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


def read_plan(path: Path) -> Plan:
    try:
        return load_plan_text(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise RuntimeUsageError(f"cannot read the plan {path}: {e.strerror or e}") from None
    except ValueError as e:  # PlanError, or text that is not UTF-8
        first = str(e).splitlines()[0]
        raise RuntimeUsageError(f"bad plan {path}: {first}") from None


_FORMS = {"--artifact-input": "KEY=DIR", "--artifact-output": "NAME=DIR"}


def _pairs(items: list[str], what: str, sep: str = "=") -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, eq, value = item.partition(sep)
        if not eq or not key:
            raise RuntimeUsageError(f"{what} takes {_FORMS.get(what, 'KEY=VALUE')}, got {item!r}")
        if key in out:
            raise RuntimeUsageError(f"{what} {key} given twice")
        out[key] = value
    return out


def run(req: WorkerRequest) -> dict[str, Any]:
    """Run the step; returns its outputs by name (already written to ``req.outputs``)."""
    plan = read_plan(req.plan)
    modules = Modules(plan, req.root)
    if (req.task is None) == (req.node is None):
        raise RuntimeUsageError("give exactly one of --task and --node")
    limit = artifacts.parameter_limit()  # a bad FLYTEC_PARAMETER_LIMIT fails before the task
    req.inputs = unpack_artifacts(req.inputs, req.artifact_inputs)
    req.values = unpack_artifacts(req.values, req.artifact_inputs)
    if req.task is not None:
        outputs = run_task(plan, modules, req)
    else:
        assert req.node is not None
        outputs = run_node(plan, modules, req, req.node)
    try:
        write_outputs(req.outputs, outputs, req.artifact_outputs, limit)
    except artifacts.OutputError as e:
        raise TaskFailed(e.code, e.message) from None
    return outputs


def unpack_artifacts(raw: dict[str, str], dirs: dict[str, Path]) -> dict[str, str]:
    """Values whose parameter is an artifact marker, replaced by the artifact's value."""
    out: dict[str, str] = {}
    for key, text in raw.items():
        if artifacts.marker(text) is None:
            out[key] = text
        elif key not in dirs:
            raise RuntimeUsageError(f"the value of {key} travels as an artifact, but no "
                                    f"--artifact-input {key}=DIR was given")
        else:
            out[key] = artifacts.load(dirs[key], key)
    return out


def _inputs_from_file(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise RuntimeUsageError(f"cannot read inputs from {path}: {e}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise RuntimeUsageError(f"{path}: inputs must be a JSON object")
    return {str(k): json.dumps(v) for k, v in data.items()}


def run_task(plan: Plan, modules: Modules, req: WorkerRequest) -> dict[str, Any]:
    from flytec.runtime.inputs import bind_inputs

    assert req.task is not None
    if req.task == plan.task:
        ref = f"{plan.source.module}:{plan.source.function}"
        names = [o.name for o in plan.outputs]
    elif req.task in plan.callees:
        src = plan.callees[req.task].source
        ref = f"{src.get('module')}:{src.get('function')}"
        names = []
    else:
        known = ", ".join(sorted([plan.task, *plan.callees]))
        raise RuntimeUsageError(f"task {req.task} is not in the plan (tasks: {known})")
    template = modules.function(ref)
    if not getattr(template, "_flytec_is_task", False):
        raise RuntimeUsageError(f"{ref} is not a task")
    raw: dict[str, str | None] = dict(_inputs_from_file(req.inputs_file))
    raw.update(req.inputs)
    kwargs = bind_inputs(template.func, raw, req.task)
    result = execute_once(template, kwargs)
    if not names:
        names = [f"o{i}" for i in range(len(output_types(template.func)))]
    return split_outputs(result, names, template.func)


def execute_once(template: Any, kwargs: dict[str, Any]) -> Any:
    """One attempt of a task, its sub-tasks and traces in-process (store in a temp dir)."""
    from flytec.runtime.controller import Controller
    from flytec.runtime.runner import execute_template
    from flytec.runtime.spec import RetryPolicy

    spec = Controller.spec(template)
    once = copy.copy(template)
    once.__dict__["_flytec_spec"] = dataclasses.replace(spec, retry=RetryPolicy())
    with tempfile.TemporaryDirectory(prefix="flytec-worker-") as store:
        outcome = execute_template(once, kwargs, store=store, cache_mode="off")
    if outcome.status != "SUCCEEDED":
        code, _, message = (outcome.error or "Error").partition(": ")
        raise TaskFailed(code, message)
    return outcome.result


def run_node(plan: Plan, modules: Modules, req: WorkerRequest, node_id: str) -> dict[str, Any]:
    values = Values(plan, modules, req.inputs, req.values)
    if node_id == "@outputs":
        return {o.name: values.resolve(o.source) for o in plan.outputs}
    node = values.nodes.get(node_id)
    if node is None:
        raise RuntimeUsageError(f"no node {node_id} in the plan of {plan.task}")
    if req.bindings:
        out: dict[str, Any] = {}
        for name in req.bindings:
            if name == "over-items":
                over = node.over
                if node.kind == "task" and node.parent is not None:
                    over = values.nodes[node.parent].over
                b = over[0] if isinstance(over, list) else over
                out[name] = list(values.resolve(b))
            elif name in node.inputs:
                out[name] = values.resolve(node.inputs[name])
            else:
                raise RuntimeUsageError(f"node {node_id} has no input {name}")
        return out
    if node.kind == "branch":
        return {"arm": values.condition(node)}
    if node.kind == "trace":
        assert node.function is not None
        fn = modules.function(node.function)
        kwargs = {k: values.resolve(b) for k, b in node.inputs.items()}
        try:
            result = fn(**kwargs)
            if hasattr(result, "__await__"):
                from flytec.runtime.worker_values import _run

                result = _run(result)
        except Exception as e:  # the user's failure
            raise TaskFailed(type(e).__name__, str(e)) from e
        return split_outputs(result, list(node.outputs), plain(fn))
    if node.kind == "glue" and node.effect:
        run_effect(values, node)
        return {}
    raise RuntimeUsageError(f"node {node_id} ({node.kind}) is not run by a worker step")


def run_effect(values: Values, node: Any) -> None:
    """A statement run for its side effects (``print``, ``assert``, a call...)."""
    import ast
    import inspect

    from flytec.runtime.worker_values import _run

    ns = values.namespace()
    for name, b in node.inputs.items():
        ns[name] = values.resolve(b)
    try:
        code = compile(node.code or "pass", f"<glue {node.id}>", node.mode or "exec",
                       flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, ns)  # noqa: S307 - the user's statement
        if inspect.isawaitable(result):
            _run(result)
    except Exception as e:  # the user's failure (a failing assert...)
        raise TaskFailed(type(e).__name__, str(e)) from e


def write_outputs(directory: Path, outputs: dict[str, Any],
                  artifact_dirs: dict[str, Path] | None = None,
                  limit: int | None = None) -> None:
    """One file per output: JSON, except a branch's ``arm``, written as plain text so that
    Argo's ``when`` can compare it (``'{{tasks.b.outputs.parameters.arm}}' == 'then'``).

    An output in ``artifact_dirs`` that holds a File/Dir/DataFrame or is over the parameter
    limit is written there as an artifact, and its file holds the marker."""
    directory.mkdir(parents=True, exist_ok=True)
    dirs = artifact_dirs or {}
    limit = artifacts.parameter_limit() if limit is None else limit
    for name, value in outputs.items():
        if name == "arm" and isinstance(value, str):
            text = value
        else:
            text, warning = artifacts.encode(value, name, dirs.get(name), limit)
            if warning:
                print(f"flytec worker: warning: {warning}", file=sys.stderr)
        (directory / f"{name}.json").write_text(text, encoding="utf-8")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="flytec worker", description=__doc__.split("\n\n")[0])
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--task")
    p.add_argument("--node")
    p.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--value", action="append", default=[], metavar="NODE.OUTPUT=JSON")
    p.add_argument("--binding", action="append", default=[], metavar="NAME")
    p.add_argument("--inputs-file", type=Path)
    p.add_argument("--outputs", type=Path, default=Path("/flytec/outputs"))
    p.add_argument("--artifact-input", action="append", default=[], metavar="KEY=DIR")
    p.add_argument("--artifact-output", action="append", default=[], metavar="NAME=DIR")
    p.add_argument("--root", type=Path, default=None)
    return p


def _dirs(items: list[str], what: str) -> dict[str, Path]:
    return {k: Path(v) for k, v in _pairs(items, what).items()}


def request_from_args(argv: list[str]) -> WorkerRequest:
    ns = parser().parse_args(argv)
    return WorkerRequest(
        plan=ns.plan, task=ns.task, node=ns.node,
        inputs=_pairs(ns.input, "--input"), values=_pairs(ns.value, "--value"),
        bindings=list(ns.binding), inputs_file=ns.inputs_file, outputs=ns.outputs,
        root=ns.root if ns.root is not None else Path.cwd(),
        artifact_inputs=_dirs(ns.artifact_input, "--artifact-input"),
        artifact_outputs=_dirs(ns.artifact_output, "--artifact-output"),
    )


def main(argv: list[str] | None = None) -> int:
    """Run a step from the command line; the exit code says how it went."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        req = request_from_args(args)
        run(req)
    except RuntimeUsageError as e:
        print(f"flytec worker: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except TaskFailed as e:
        print(f"flytec worker: {e}", file=sys.stderr)
        try:
            out = req.outputs
            out.mkdir(parents=True, exist_ok=True)
            (out / "error.json").write_text(json.dumps({"code": e.code, "message": e.message}))
        except OSError:
            pass
        return EXIT_FAILED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
