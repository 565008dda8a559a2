"""Emitted Workflows and Jobs, executed: the harness runs each pod's command locally against
the worker, as Argo would schedule them, and the result must equal ``flytec run``'s."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from argo_harness import Harness
from k8s_helpers import EXAMPLES, REPO, example_plans, runnable_examples, workflow_parameters

from flytec.codegen.k8s import EmitOptions, emit
from flytec.runtime.outputs import to_jsonable
from flytec.runtime.runner import RunOptions, execute

CASES = runnable_examples()


def flytec_run(relpath: str, task: str, args: list[str], store: Path) -> Any:
    outcome = execute(RunOptions(target=f"{EXAMPLES / relpath}::{task}", input_tokens=args,
                                 store=str(store), progress=False, capture_logs=False))
    assert outcome.status == "SUCCEEDED", outcome.error
    return to_jsonable(outcome.result)


def manifest_for(relpath: str, task: str, target: str = "argo") -> Any:
    manifests = emit(list(example_plans()), EmitOptions(target=target))  # type: ignore[arg-type]
    path = f"examples/{relpath}"
    for m, plan in zip(manifests, example_plans()):
        if plan.source.path == path and plan.source.function == task:
            return m
    raise AssertionError(f"no manifest for {relpath}::{task}")


def result_of(outputs: dict[str, str]) -> Any:
    values = [json.loads(outputs[k]) for k in sorted(outputs)]
    return values[0] if len(values) == 1 else values


@pytest.mark.parametrize(("relpath", "task", "args", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_workflow_executes_like_flytec_run(
    relpath: str, task: str, args: list[str], expected: Any, tmp_path: Path
) -> None:
    manifest = manifest_for(relpath, task)
    # the manifest goes through YAML, as it would to the cluster
    objects = list(yaml.safe_load_all(manifest.text))
    harness = Harness(objects, tmp_path / "argo", REPO)
    harness.run(workflow_parameters(args))
    got = result_of(harness.values())
    want = flytec_run(relpath, task, args, tmp_path / "store")
    assert got == want
    assert got == expected
    if manifest.mode == "static":
        assert len(harness.steps_run) > 1  # really a DAG of pods


def test_etl_takes_the_other_branch(tmp_path: Path) -> None:
    objects = manifest_for("etl.py", "main").objects
    harness = Harness(objects, tmp_path, REPO)
    got = result_of(harness.run({"days": '["2026-01-01"]', "table": "sales"}))
    assert got == {"days_loaded": 0, "orders": 0, "revenue": 0.0, "best_day": "",
                   "table": "sales"}
    assert "etl-worker-load" not in harness.steps_run


def test_job_runs_the_task(tmp_path: Path) -> None:
    """A Job's container, run with its ConfigMap's plan and (filled in) inputs.json."""
    import subprocess
    import sys

    objects = manifest_for("hello.py", "main", target="jobs").objects
    cm, job = objects
    plan_dir, out_dir = tmp_path / "plan", tmp_path / "outputs"
    plan_dir.mkdir()
    (plan_dir / "plan.json").write_text(cm["data"]["plan.json"])
    inputs = json.loads(cm["data"]["inputs.json"])
    inputs["names"] = ["Ada", "Grace"]
    (plan_dir / "inputs.json").write_text(json.dumps(inputs))
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["flytec", "worker"]
    args = [a.replace("/flytec/plan", str(plan_dir)).replace("/flytec/outputs", str(out_dir))
            for a in container["args"]]
    proc = subprocess.run([sys.executable, "-m", "flytec.runtime.worker", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out_dir / "o0.json").read_text()) == ["Hello, Ada!", "Hello, Grace!"]
