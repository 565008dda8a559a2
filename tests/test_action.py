"""action.yml, the composite GitHub Action: its shape, and its scripts run for real.

The steps' shell scripts read the inputs only from environment variables (never ``${{ }}``
inside a script, which would let an input inject shell code), so the tests run them with
bash exactly as the runner would, against flytec of this work tree.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
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


# ------------------------------------------------- graph-comment: the pull-request comment


class _FakeGitHub(http.server.BaseHTTPRequestHandler):
    """The REST API's issue comments, enough for the graph step: what it was asked is kept
    in ``calls``; ``comments`` are those already on the pull request."""

    calls: list[tuple[str, str, dict[str, Any] | None, str]] = []
    comments: list[dict[str, Any]] = []
    status = 200

    def _reply(self, data: Any) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        sent = json.loads(self.rfile.read(length)) if length else None
        type(self).calls.append((self.command, self.path, sent,
                                 self.headers.get("Authorization", "")))
        blob = json.dumps(data).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(blob)))
        self.end_headers()
        self.wfile.write(blob)

    def do_GET(self) -> None:
        self._reply(self.comments if "page=1" in self.path else [])

    def do_POST(self) -> None:
        self._reply({"id": 7, "html_url": "https://github.test/c/7"})

    def do_PATCH(self) -> None:
        self._reply({"id": 42, "html_url": "https://github.test/c/42"})

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def github() -> Iterator[type[_FakeGitHub]]:
    handler = type("Handler", (_FakeGitHub,), {"calls": [], "comments": [], "status": 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    thread.join()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                        "HOME": str(cwd)})


@pytest.fixture()
def pull_request(tmp_path: Path) -> Path:
    """A checkout with two commits: the base, and a pull request adding a task call."""
    from tests.cli.test_graph_markdown import etl_changed

    repo = tmp_path / "pr"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[project]\nname = 'pr'\n", encoding="utf-8")
    shutil.copy(REPO / "examples" / "etl.py", repo / "etl.py")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    (repo / "etl.py").write_text(etl_changed(), encoding="utf-8")
    _git(repo, "commit", "-qam", "pull request")
    return repo


def _graph_env(tmp_path: Path, github: type[_FakeGitHub], **extra: str) -> dict[str, str]:
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    return {"FLYTEC": str(_flytec(tmp_path)), "FLYTEC_PYTHON": sys.executable,
            "FLYTEC_GRAPH_PATH": ".", "FLYTEC_GRAPH_BASE": "", "PR_BASE_SHA": "HEAD~1",
            "PR_NUMBER": "5", "GITHUB_TOKEN": "tok", "GITHUB_REPOSITORY": "org/repo",
            "GITHUB_API_URL": github.url, "GITHUB_STEP_SUMMARY": str(summary),  # type: ignore
            **extra}


def test_graph_comment_runs_only_on_pull_requests_when_asked() -> None:
    step = _step("graph")
    assert "inputs.graph-comment == 'true'" in step["if"]
    assert "github.event_name == 'pull_request'" in step["if"]
    assert _action()["inputs"]["graph-comment"]["default"] == "false"
    graph = cli.get_command(click.Context(cli), "graph")
    assert graph is not None
    options = {o for p in graph.params for o in p.opts}
    used = set(re.findall(r'graph "\$FLYTEC_GRAPH_PATH"[^\n]*', step["run"])[0].split())
    assert {"--diff", "--format", "markdown", "--output-file"} <= used
    assert {u for u in used if u.startswith("--")} <= options


@needs_bash
def test_graph_comment_is_posted_then_updated(pull_request: Path, tmp_path: Path,
                                              github: type[_FakeGitHub]) -> None:
    from flytec.codegen.graph.markdown_diff import MARKER

    env = _graph_env(tmp_path, github)
    code, outputs, log = _run_step("graph", pull_request, env, tmp_path)
    assert code == 0, log
    assert "posted https://github.test/c/7" in log
    body = Path(outputs["markdown"]).read_text(encoding="utf-8")
    assert body.startswith(MARKER) and "etl_worker.audit<br/>added" in body
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == body
    (get, get_path, _, auth), (post, post_path, sent, _) = github.calls
    assert (get, post, auth) == ("GET", "POST", "Bearer tok")
    assert get_path.startswith("/repos/org/repo/issues/5/comments?")
    assert post_path == "/repos/org/repo/issues/5/comments" and sent == {"body": body}

    # the next push: the comment that starts with the marker is updated, no other one
    github.calls.clear()
    github.comments = [{"id": 41, "body": f"a reviewer quoting {MARKER}"},
                       {"id": 42, "body": MARKER + "\nthe old graphs"}]
    code, _, log = _run_step("graph", pull_request, env, tmp_path)
    assert code == 0 and "updated https://github.test/c/42" in log, log
    assert [(c[0], c[1]) for c in github.calls[1:]] == [
        ("PATCH", "/repos/org/repo/issues/comments/42")]


@needs_bash
def test_graph_comment_warns_when_it_may_not_post(pull_request: Path, tmp_path: Path,
                                                  github: type[_FakeGitHub]) -> None:
    github.status = 403  # a pull request from a fork: a read-only token
    code, outputs, log = _run_step("graph", pull_request, _graph_env(tmp_path, github),
                                   tmp_path)
    assert code == 0, log
    assert "::warning title=flytec::could not post the graph comment (HTTP 403)" in log
    assert (tmp_path / "summary.md").read_text(encoding="utf-8").startswith("<!--")


@needs_bash
def test_graph_comment_fails_on_a_bad_revision(pull_request: Path, tmp_path: Path,
                                               github: type[_FakeGitHub]) -> None:
    env = _graph_env(tmp_path, github, FLYTEC_GRAPH_BASE="no-such-rev")
    code, _, log = _run_step("graph", pull_request, env, tmp_path)
    assert code != 0 and github.calls == []
