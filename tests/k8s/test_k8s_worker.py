"""The worker's contract: exit codes, one-line errors, outputs and error.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from k8s_helpers import REPO, plan_named

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
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
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
        assert "Traceback" not in res.stderr and res.stderr.startswith("flytec worker: error:")


def test_code_missing_from_the_image_is_a_clear_error(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "hello.main")
    res = worker("--plan", str(plan), "--task", "hello.main", "--input", 'names=["a"]',
                 "--outputs", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 2
    assert "cannot find the code of module" in res.stderr
