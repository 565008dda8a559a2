"""Artifacts in emitted Workflows: File/Dir/DataFrame values and values too large for a
parameter travel between pods as Argo artifacts; the harness passes them as Argo does, and
results still equal ``flytec run``'s."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from argo_harness import ArgoFailure, Harness
from k8s_helpers import REPO, example_plans, runnable_examples, workflow_parameters
from test_k8s_execution import flytec_run, manifest_for, result_of

from flytec.codegen.k8s import EmitOptions, emit
from flytec.runtime.artifacts import LIMIT_ENV

FILES_ARGS = ["--lines", '["INFO start", "WARN disk", "INFO ok", "ERROR timeout"]']
FILES_RESULT = {"ERROR": 1, "INFO": 2, "WARN": 1, "levels": 3, "lines": 4}


def objects_of(relpath: str, task: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all(manifest_for(relpath, task).text))


def templates_of(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    wf = next(o for o in objects if o["kind"] == "Workflow")
    return {t["name"]: t for t in wf["spec"]["templates"]}


def test_files_and_dirs_travel_between_pods(tmp_path: Path) -> None:
    harness = Harness(objects_of("files.py", "main"), tmp_path / "argo", REPO)
    harness.run(workflow_parameters(FILES_ARGS))
    got = result_of(harness.values())
    assert got == FILES_RESULT == flytec_run("files.py", "main", FILES_ARGS, tmp_path / "s")
    # the log reaches both readers and the directory its reader, as artifacts
    assert sorted(harness.artifacts_passed) == [
        ("files-count-lines", "levels"), ("files-count-lines", "log"),
        ("files-split-by-level", "log")]


def test_without_the_artifacts_the_files_are_gone(tmp_path: Path) -> None:
    """The harness really isolates pods: passing only the parameters (the old form, a path
    in another pod) fails."""
    objects = objects_of("files.py", "main")
    for t in templates_of(objects).values():
        for section in ("inputs", "outputs"):
            (t.get(section) or {}).pop("artifacts", None)
        for task in (t.get("dag") or {}).get("tasks", []):
            (task.get("arguments") or {}).pop("artifacts", None)
        if "container" in t:
            args = t["container"]["args"]
            keep = [i for i, a in enumerate(args) if not a.startswith("--artifact-")
                    and (i == 0 or not args[i - 1].startswith("--artifact-"))]
            t["container"]["args"] = [args[i] for i in keep]
    harness = Harness(objects, tmp_path / "argo", REPO)
    with pytest.raises(ArgoFailure, match="split-by-level: .*No such file"):
        harness.run(workflow_parameters(FILES_ARGS))


SPILLED = [c for c in runnable_examples()
           if c[0] in ("etl.py", "ml_sweep.py", "trace_cache.py", "pipelines/workflow.py",
                       "files.py")]


@pytest.mark.parametrize(("relpath", "task", "args", "expected"), SPILLED,
                         ids=[c[0] for c in SPILLED])
def test_every_value_as_an_artifact(relpath: str, task: str, args: list[str], expected: Any,
                                    tmp_path: Path) -> None:
    """With a parameter limit of 0 bytes every value that may be an artifact is one: branches
    (a skipped producer's artifact is left out), traces, computed inputs, tuple outputs,
    the workflow's own outputs."""
    harness = Harness(objects_of(relpath, task), tmp_path / "argo", REPO, env={LIMIT_ENV: "0"})
    harness.run(workflow_parameters(args))
    assert all(json.loads(v).get("$flytec_artifact") for v in harness.last.outputs.values()
               if v.startswith("{"))
    assert result_of(harness.values()) == expected
    assert harness.artifacts_passed  # values really went through artifacts


def test_etl_other_branch_with_every_value_an_artifact(tmp_path: Path) -> None:
    harness = Harness(objects_of("etl.py", "main"), tmp_path, REPO, env={LIMIT_ENV: "0"})
    harness.run({"days": '["2026-01-01"]', "table": "sales"})
    assert result_of(harness.values()) == {"days_loaded": 0, "orders": 0, "revenue": 0.0,
                                           "best_day": "", "table": "sales"}
    assert ("outputs", "v2") not in harness.artifacts_passed  # `load` was skipped


def build_project(tmp_path: Path, name: str, code: str) -> tuple[Path, list[dict[str, Any]]]:
    """A one-module project built with ``flytec build --target argo --validate``; returns the
    project and the objects of ``<name>-main.argo.yaml``."""
    from click.testing import CliRunner

    from flytec.cli import cli

    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text(f"[project]\nname = '{name}'\n")
    (project / f"{name}.py").write_text(textwrap.dedent(code))
    res = CliRunner().invoke(cli, ["build", str(project), "-o", str(tmp_path / "out"),
                                   "--target", "argo", "--validate", "-q"])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "out" / f"{name}-main.argo.yaml").read_text()
    return project, list(yaml.safe_load_all(text))


def test_a_file_reaches_every_item_of_a_bounded_map(tmp_path: Path) -> None:
    """``flyte.map(partial(score, model), xs, concurrency=2)``: the model File goes into the
    map's own DAG template as an input artifact and on to each item."""
    from flytec.runtime.runner import RunOptions, execute

    project, objects = build_project(tmp_path, "mp", '''
        import functools
        import os
        import tempfile

        import flyte
        from flyte.io import File

        env = flyte.TaskEnvironment(name="mp")

        @env.task
        def make_model(k: int) -> File:
            path = os.path.join(tempfile.mkdtemp(), "model.txt")
            with open(path, "w") as fh:
                fh.write(str(k))
            return File.from_local_sync(path)

        @env.task
        def score(model: File, x: int) -> int:
            with model.open_sync("r") as fh:
                return int(fh.readline()) * x

        @env.task
        def main(k: int, xs: list[int]) -> list[int]:
            model = make_model(k)
            return list(flyte.map(functools.partial(score, model), xs, concurrency=2,
                                  return_exceptions=False))
    ''')
    inner = templates_of(objects)["map-score-map"]
    assert inner["inputs"]["artifacts"] == [{"name": "model", "optional": True}]
    harness = Harness(objects, tmp_path / "argo", project)
    got = result_of(harness.run({"k": "3", "xs": "[1, 2, 5]"}))
    outcome = execute(RunOptions(target=f"{project / 'mp.py'}::main",
                                 input_tokens=["--k", "3", "--xs", "[1, 2, 5]"],
                                 store=str(tmp_path / "s"), progress=False, capture_logs=False))
    assert got == [3, 6, 15] == outcome.result
    assert harness.artifacts_passed.count(("mp-score", "model")) == 3


def test_a_large_value_travels_as_an_artifact(tmp_path: Path) -> None:
    """The default limit (32 KiB): a 200 KB string is an artifact, a short one a parameter."""
    project, objects = build_project(tmp_path, "big", '''
        import flyte

        env = flyte.TaskEnvironment(name="big")

        @env.task
        async def make(n: int) -> str:
            return "ab" * n

        @env.task
        async def size(text: str) -> int:
            return len(text)

        @env.task
        async def main(n: int) -> int:
            return await size(await make(n))
    ''')
    for n, artifact in ((100_000, True), (10, False)):
        harness = Harness(objects, tmp_path / f"argo{n}", project)
        assert result_of(harness.run({"n": str(n)})) == 2 * n
        assert (("big-size", "text") in harness.artifacts_passed) is artifact


def test_fan_out_of_files_runs_as_one_pod(tmp_path: Path) -> None:
    m = manifest_for("files.py", "archive")
    assert m.mode == "driver"
    assert "File/Dir/DataFrame" in m.reasons[0] and "withParam" in m.reasons[0]
    harness = Harness(list(yaml.safe_load_all(m.text)), tmp_path / "argo", REPO)
    args = ["--batches", '[["INFO a", "INFO b"], ["ERROR c"]]']
    got = result_of(harness.run(workflow_parameters(args)))
    assert got == 3 == flytec_run("files.py", "archive", args, tmp_path / "s")


def test_where_artifacts_are_declared() -> None:
    manifests = {m.task: m for m in emit(list(example_plans()), EmitOptions())}
    files = templates_of(manifests["files.main"].objects)
    write = files["files-write-log"]
    assert write["outputs"]["artifacts"] == [
        {"name": "o0", "path": "/flytec/artifacts/out/o0", "optional": True}]
    assert write["container"]["args"][-2:] == ["--artifact-output",
                                               "o0=/flytec/artifacts/out/o0"]
    assert {"name": "flytec-artifacts", "mountPath": "/flytec/artifacts/out"} in \
        write["container"]["volumeMounts"]
    split = files["files-split-by-level"]
    assert split["inputs"]["artifacts"] == [
        {"name": "log", "path": "/flytec/artifacts/in/log", "optional": True}]
    # o1 is an int: always small, always a parameter
    assert [a["name"] for a in split["outputs"]["artifacts"]] == ["o0"]
    step = next(t for t in files["files-main"]["dag"]["tasks"] if t["name"] == "split-by-level")
    assert step["arguments"]["artifacts"] == [
        {"name": "log", "from": "{{tasks.write-log.outputs.artifacts.o0}}", "optional": True}]

    etl = templates_of(manifests["etl_driver.main"].objects)
    # fan-out items and a list a withParam iterates stay parameters
    assert "artifacts" not in etl["etl-worker-extract"]["outputs"]
    assert "artifacts" not in etl["etl-worker-transform"]["outputs"]
    assert "artifacts" not in etl["if-not-active"]["outputs"]  # a branch's arm
    assert etl["load-args"]["outputs"]["artifacts"] == [
        {"name": "rows", "path": "/flytec/artifacts/out/rows", "optional": True}]
    hello = templates_of(manifests["hello.main"].objects)
    assert not any("artifacts" in (t.get("outputs") or {}) for t in hello.values())
