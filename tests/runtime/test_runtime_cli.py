"""The CLI around runs: bad input exits 2 with one line, records, logs, plans, resume errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from runtime_helpers import program


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["etl.py::main"], "missing input --days (list[str]) for task etl.main"),
        (
            ["etl.py::main", "--days", "[1, 2"],
            "input --days (list[str]): Input should be a valid list",
        ),
        (
            ["etl.py::main", "--days", "[1, 2]"],
            "input --days (list[str]): Input should be a valid string",
        ),
        (
            ["etl.py::main", "--days", "[]", "--weeks", "2"],
            "unknown input --weeks for task etl.main",
        ),
        (["etl.py::nope"], "unknown task 'nope'"),
        (["etl.py"], "no task given"),
        (["missing.py::main"], "file not found"),
        (["features.py::norm", "--p", '{"x": 1}'], "input --p (Point): Field required at y"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(flytec, args: list[str], message: str) -> None:
    args = [program(args[0].split("::")[0]) + args[0][len(args[0].split("::")[0]) :], *args[1:]]
    res = flytec("run", *args)
    assert res.code == 2
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.stderr


def test_bad_plan_files_exit_2(flytec, tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.plan.json"
    bad_json.write_text("{not json")
    no_source = tmp_path / "nosource.plan.json"
    no_source.write_text(json.dumps({"task": "etl.main"}))
    assert "bad plan file" in flytec("run", str(bad_json)).stderr
    res = flytec("run", str(no_source))
    assert res.code == 2 and "no `schema_version`" in res.stderr
    assert flytec("run", str(tmp_path / "none.plan.json")).code == 2


def test_a_partial_plan_file_is_refused_not_run_as_the_body(flytec, tmp_path: Path) -> None:
    # `task` and `source` alone once ran the task's body; a plan file must now be a whole,
    # valid flytec.plan/v1 document (tests/hardening/test_bad_plans.py has every way not to)
    plan = tmp_path / "etl.main.plan.json"
    plan.write_text(
        json.dumps(
            {
                "schema_version": "flytec.plan/v1",
                "task": "etl.main",
                "source": {"path": program("etl.py"), "code_hash": "abc123"},
                "nodes": [],
            }
        )
    )
    res = flytec("run", str(plan), "--days", '["2026-02-01"]')
    assert res.code == 2
    assert "does not match the plan schema: kind: Field required (and" in res.stderr
    assert "started" not in res.stderr


def test_user_code_that_fails_to_import_is_a_usage_error(flytec, tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import flyte\nenv = flyte.TaskEnvironment(name='Bad Name')\n")
    res = flytec("run", f"{broken}::main")
    assert res.code == 2
    assert "cannot load" in res.stderr and "ValueError" in res.stderr
    syntax = tmp_path / "syntax.py"
    syntax.write_text("def broken(:\n")
    res = flytec("run", f"{syntax}::main")
    assert res.code == 2 and "SyntaxError" in res.stderr


def test_runs_list_and_show_tree_with_logs(flytec) -> None:
    res = flytec(
        "run",
        "--run-id",
        "etl1",
        "--dynamic",  # the driver's print() runs in its body (it is not a plan node)
        program("etl.py") + "::main",
        "--days",
        '["2026-01-01","2026-01-02"]',
    )
    assert res.code == 0
    listed = json.loads(flytec("runs", "list", "--json").stdout)
    assert [(r["run_id"], r["status"], r["task"]) for r in listed] == [
        ("etl1", "SUCCEEDED", "etl.main")
    ]
    shown = flytec("runs", "show", "etl1", "--logs")
    assert shown.code == 0
    out = shown.stdout
    assert "etl.main SUCCEEDED" in out
    assert out.count("etl.process_day SUCCEEDED") == 2
    assert out.count("etl.extract SUCCEEDED") == 2
    assert "etl.load SUCCEEDED" in out
    assert "processed 2 days" in out  # the captured log line, attributed to the root action
    assert '"2026-01-01"' in out  # inputs


def test_failed_run_shows_error_and_attempts(flytec, counters: Path) -> None:
    flytec("run", "--run-id", "flaky1", program("flaky.py") + "::main", "--fail-times", "2")
    out = flytec("runs", "show", "flaky1").stdout
    assert "flaky.flaky SUCCEEDED" in out and "3 attempts" in out
    flytec("run", "--run-id", "fail1", program("flaky.py") + "::main_fail")
    shown = flytec("runs", "show", "fail1").stdout
    assert "status FAILED" in shown and "KeyError" in shown


def test_unknown_run_is_exit_2(flytec) -> None:
    assert flytec("run", "--resume", "nope").code == 2
    assert flytec("runs", "show", "nope").code == 2


def test_run_id_cannot_be_reused(flytec) -> None:
    assert flytec("run", "--run-id", "x1", program("fanout.py") + "::main", "--n", "2").code == 0
    res = flytec("run", "--run-id", "x1", program("fanout.py") + "::main", "--n", "2")
    assert res.code == 2 and "exists already" in res.stderr


def test_resume_of_a_finished_run_replays_everything(flytec, counters: Path) -> None:
    assert flytec("run", "--run-id", "done1", program("traced.py") + "::main", "--x", "6").code == 0
    again = flytec("run", "--resume", "done1")
    assert again.code == 0
    assert again.json()["square"] == 36
    assert (counters / "fetch").read_text() == "1"


def test_python_dash_m_runtime_and_flytec_home(tmp_path: Path) -> None:
    env = {"FLYTEC_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "flytec.runtime",
            "--no-progress",
            program("fanout.py"),
            "main",
            "--n",
            "4",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "6"
    assert (tmp_path / "home" / "flytec.db").exists()


def test_runtime_option_after_the_target_gets_a_hint(flytec) -> None:
    res = flytec("run", program("fanout.py") + "::main", "--n", "2", "--processes", "2")
    assert res.code == 2
    assert "unknown input --processes" in res.stderr and "before the target" in res.stderr


def test_a_bad_task_call_is_a_runtime_user_error(flytec) -> None:
    res = flytec("run", program("flaky.py") + "::bad_call")
    assert res.code == 0, res.stderr
    assert res.last_line == "TypeError"
