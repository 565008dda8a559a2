"""action.yml, the composite GitHub Action: its shape, and its scripts run for real.

The steps' shell scripts read the inputs only from environment variables (never ``${{ }}``
inside a script, which would let an input inject shell code), so the tests run them with
bash exactly as the runner would, against flytec of this work tree.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from flytec.cli import cli
from tests.conftest import REPO

ACTION = REPO / "action.yml"
BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def _step(step_id: str) -> dict[str, Any]:
    steps = _action()["runs"]["steps"]
    return next(s for s in steps if s.get("id") == step_id or s.get("name") == step_id)


def test_is_a_composite_action_with_the_documented_inputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert {"paths", "config", "fail-on"} <= set(action["inputs"])
    uses = [s.get("uses", "") for s in action["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    text = ACTION.read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{\{\s*inputs\.([-\w]+)", text))
    assert used == set(action["inputs"])  # every input is used, none is undeclared
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"an expression in the script of {step}"
        if "run" in step:
            assert step["shell"] == "bash"


def test_flags_and_fail_on_default_are_flytec_checks() -> None:
    check = cli.get_command(click.Context(cli), "check")
    assert check is not None
    options = {o for p in check.params for o in p.opts}
    script = _step("check")["run"]
    flags = set(re.findall(r"(?<![\w-])(--[a-z][-a-z]*)", script))
    assert flags and flags <= options, flags - options
    fail_on = next(p for p in check.params if p.name == "fail_on")
    assert isinstance(fail_on.type, click.Choice)
    assert _action()["inputs"]["fail-on"]["default"] in fail_on.type.choices
    fmt = next(p for p in check.params if "--format" in p.opts)
    assert isinstance(fmt.type, click.Choice) and "sarif" in fmt.type.choices


def _flytec(tmp_path: Path) -> Path:
    """An executable ``flytec`` running this work tree's flytec (what the install step
    puts in the step output ``flytec``)."""
    exe = tmp_path / "bin" / "flytec"
    exe.parent.mkdir()
    exe.write_text(f"#!/bin/sh\nexec {sys.executable} -m flytec \"$@\"\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def _run_step(step_id: str, cwd: Path, env: dict[str, str], tmp_path: Path
              ) -> tuple[int, dict[str, str], str]:
    step = _step(step_id)
    out = tmp_path / "github_output"
    out.write_text("")
    # the environment the runner gives a step: the step's env (inputs filled in) and files
    full = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "GITHUB_OUTPUT": str(out),
            "RUNNER_TEMP": str(tmp_path), **env}
    assert BASH is not None
    proc = subprocess.run([BASH, "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=cwd, env=full, capture_output=True, text=True, check=False)
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines() if "=" in line)
    return proc.returncode, outputs, proc.stdout + proc.stderr


def _inputs(**given: str) -> dict[str, str]:
    """The check step's env, with the inputs' defaults where not given."""
    values = {k: str(v.get("default", "")) for k, v in _action()["inputs"].items()}
    values.update({k.replace("_", "-"): v for k, v in given.items()})
    env = {}
    for name, expr in _step("check")["env"].items():
        m = re.fullmatch(r"\$\{\{\s*inputs\.([-\w]+)\s*\}\}", str(expr))
        if m:
            env[name] = values[m.group(1)]
    return env


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "buggy", root / "buggy",
                    ignore=shutil.ignore_patterns("__pycache__", ".flytec_cache"))
    (root / "clean.py").write_text("import flyte\n\nenv = flyte.TaskEnvironment(name='c')\n\n\n"
                                   "@env.task\nasync def main(x: int) -> int:\n"
                                   "    return x + 1\n", encoding="utf-8")
    (root / "pyproject.toml").write_text("[project]\nname = 'repo'\n", encoding="utf-8")
    return root


@needs_bash
def test_check_step_writes_sarif_and_reports_findings_without_failing(
        project: Path, tmp_path: Path) -> None:
    env = {"FLYTEC": str(_flytec(tmp_path)), **_inputs(paths="buggy/structure.py\nclean.py")}
    code, outputs, log = _run_step("check", project, env, tmp_path)
    assert code == 0, log  # the upload comes next; the last step fails the job
    assert outputs == {"exit-code": "1", "sarif-file": "flytec.sarif"}
    sarif = json.loads((project / "flytec.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert uris == {"buggy/structure.py"}  # both paths checked, findings in one

    # the last step fails the job on exit code 1, not on 0
    fail = _step("Fail on findings")
    step_env = {"CODE": "1", "FLYTEC_FAIL_ON": "warning"}
    code, _, log = _run_step(fail["name"], project, step_env, tmp_path)
    assert code == 1 and "found problems at or above 'warning'" in log
    code, _, _ = _run_step(fail["name"], project, {**step_env, "CODE": "0"}, tmp_path)
    assert code == 0


@needs_bash
def test_check_step_passes_fail_on_config_and_args(project: Path, tmp_path: Path) -> None:
    flytec = str(_flytec(tmp_path))
    env = {"FLYTEC": flytec, **_inputs(paths="buggy/structure.py", fail_on="never",
                                       args="--select FLY103", sarif_file="out/f.sarif")}
    (project / "out").mkdir()
    code, outputs, log = _run_step("check", project, env, tmp_path)
    assert code == 0 and outputs["exit-code"] == "0", log
    sarif = json.loads((project / "out" / "f.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"FLY103"}

    (project / "flytec.toml").write_text("[tool.flytec]\nselect = ['FLY104']\n")
    env = {"FLYTEC": flytec, **_inputs(paths="buggy/structure.py", config="flytec.toml")}
    code, outputs, log = _run_step("check", project, env, tmp_path)
    sarif = json.loads((project / "flytec.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"FLY104"}, log


@needs_bash
def test_check_step_fails_at_once_on_a_usage_error(project: Path, tmp_path: Path) -> None:
    env = {"FLYTEC": str(_flytec(tmp_path)), **_inputs(config="missing.toml")}
    code, outputs, log = _run_step("check", project, env, tmp_path)
    assert code == 2 and outputs["exit-code"] == "2"
    assert "::error title=flytec::flytec check could not run (exit 2)" in log
