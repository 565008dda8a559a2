"""The worker's contract: exit codes, one-line errors, outputs and error.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from k8s_helpers import REPO, flytec_lines, plan_named

from flytec.codegen.plan import plan_to_json


def worker(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flytec", "worker", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def write_plan(tmp_path: Path, task: str) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(plan_named(task)))
    return path


def test_task_outputs_are_json_files(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "sweep_driver.main")
    res = worker("--plan", str(plan), "--task", "trainer.evaluate", "--outputs",
                 str(tmp_path / "out"), "--input",
                 'model={"model_id": "m", "params": {"learning_rate": 0.1, "max_depth": 6},'
                 ' "val_loss": 0.1}', "--input", "dataset=s3://x")
    assert res.returncode == 0, res.stderr
    assert json.loads((tmp_path / "out" / "o0.json").read_text()) == 0.95


def test_failing_task_exits_1_with_error_json(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "error_recovery.main")
    res = worker("--plan", str(plan), "--task", "error_recovery.validate", "--outputs",
                 str(tmp_path / "out"), "--input", "rows=[1, -1]")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and len(flytec_lines(res.stderr)) == 1
    err = json.loads((tmp_path / "out" / "error.json").read_text())
    assert err["code"] == "ValueError"


def test_bad_usage_exits_2_on_one_line(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "hello.main")
    for args in (["--plan", str(tmp_path / "missing.json"), "--task", "hello.main"],
                 ["--plan", str(plan), "--task", "nope.task"],
                 ["--plan", str(plan), "--node", "nope"],
                 ["--plan", str(plan), "--task", "hello.main", "--input", "oops"],
                 ["--plan", str(plan), "--task", "hello.main"]):
        res = worker(*args, "--outputs", str(tmp_path / "out"))
        assert res.returncode == 2, (args, res.stderr)
        (line,) = flytec_lines(res.stderr)
        assert "Traceback" not in res.stderr and line.startswith("flytec worker: error:")


def test_code_missing_from_the_image_is_a_clear_error(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "hello.main")
    res = worker("--plan", str(plan), "--task", "hello.main", "--input", 'names=["a"]',
                 "--outputs", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 2
    assert "cannot find the code of module" in res.stderr


def test_files_travel_as_artifacts_between_steps(tmp_path: Path) -> None:
    """A File output is an artifact (its contents copied); the next step reads it from the
    input artifact after the producer's files are gone."""
    import os
    import shutil

    plan = write_plan(tmp_path, "files.main")
    pod_tmp = tmp_path / "pod1-tmp"
    pod_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(pod_tmp)}
    res = subprocess.run(
        [sys.executable, "-m", "flytec", "worker", "--plan", str(plan), "--task",
         "files.write_log", "--outputs", str(tmp_path / "out1"), "--input",
         'lines=["INFO a", "ERROR b", "INFO c"]',
         "--artifact-output", f"o0={tmp_path / 'art1' / 'o0'}"],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
    assert res.returncode == 0, res.stderr
    marker = (tmp_path / "out1" / "o0.json").read_text()
    assert json.loads(marker)["$flytec_artifact"] == "o0"
    shutil.rmtree(pod_tmp)  # the producing pod is gone
    shutil.copytree(tmp_path / "art1" / "o0", tmp_path / "in" / "log")  # Argo's download
    res = worker("--plan", str(plan), "--task", "files.split_by_level", "--outputs",
                 str(tmp_path / "out2"), "--input", f"log={marker}",
                 "--artifact-input", f"log={tmp_path / 'in' / 'log'}",
                 "--artifact-output", f"o0={tmp_path / 'art2' / 'o0'}")
    assert res.returncode == 0, res.stderr
    assert json.loads((tmp_path / "out2" / "o1.json").read_text()) == 2  # a plain parameter
    value = json.loads((tmp_path / "art2" / "o0" / "value.json").read_text())
    assert value["refs"] == ["/path"]
    parts = tmp_path / "art2" / "o0" / value["value"]["path"]
    assert sorted(p.name for p in parts.iterdir()) == ["ERROR.log", "INFO.log"]
    assert (parts / "INFO.log").read_text() == "INFO a\nINFO c\n"


def test_a_marker_without_its_artifact_is_a_usage_error(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "files.main")
    marker = '{"$flytec_artifact": "o0", "sha256": "00"}'
    for extra in ([], ["--artifact-input", f"log={tmp_path / 'missing'}"]):
        res = worker("--plan", str(plan), "--task", "files.split_by_level", "--outputs",
                     str(tmp_path / "out"), "--input", f"log={marker}", *extra)
        assert res.returncode == 2, res.stderr
        (line,) = flytec_lines(res.stderr)
        assert "Traceback" not in res.stderr
        assert line.startswith("flytec worker: error: the value of log travels as an artifact")


def test_an_output_file_that_does_not_exist_fails_the_task(tmp_path: Path) -> None:
    """``File.new_remote()`` never written: the step fails (exit 1, error.json), it does not
    pass on a reference to nothing."""
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (project / "ghost.py").write_text(
        "import flyte\nfrom flyte.io import File\n\nenv = flyte.TaskEnvironment(name='ghost')\n\n"
        "@env.task\nasync def make() -> File:\n    return File.new_remote('never.txt')\n")
    from flytec.codegen.plan import build_plans
    from flytec.codegen.plan.select import load_project
    from flytec.config import load_config

    loaded = load_project([project], project, load_config(project))
    (p,) = [p for _, p in build_plans(loaded.result.program, loaded.result.project,
                                      loaded.requested)]
    (tmp_path / "plan.json").write_text(plan_to_json(p))
    res = worker("--plan", str(tmp_path / "plan.json"), "--task", "ghost.make", "--outputs",
                 str(tmp_path / "out"), "--artifact-output", f"o0={tmp_path / 'art'}",
                 cwd=project)
    assert res.returncode == 1, res.stderr
    err = json.loads((tmp_path / "out" / "error.json").read_text())
    assert err["code"] == "FileNotFoundError" and "never.txt" in err["message"]
