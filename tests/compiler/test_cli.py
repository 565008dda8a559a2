"""``flytec build``, ``flytec graph`` and ``flytec schema`` end to end."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.cli import cli
from flytec.model.plan import SCHEMA_VERSION
from tests.compiler.helpers import EXAMPLES, REPO


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_writes_one_valid_plan_per_task(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "plans"
    r = run("build", "examples/etl.py", "examples/agent_loop.py", "-o", str(out))
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert "etl_driver.main.plan.json" in names and "agent.main.plan.json" in names
    assert len(names) == 8
    data = json.loads((out / "etl_driver.main.plan.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION and data["static"] is True
    assert data["source"]["path"] == "examples/etl.py"
    assert data["source"]["code_hash"].startswith("v2:sha256:")
    assert "etl_driver.main" in r.output and "static" in r.output
    assert "agent_loop.py:109:5" in r.output and "dynamic" in r.output
    assert r.output.strip().splitlines()[-1].startswith("Wrote 8 plans")


def test_build_one_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    r = run("build", "examples/etl.py", "--task", "main", "-o", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert [p.name for p in tmp_path.iterdir()] == ["etl_driver.main.plan.json"]
    r = run("build", "examples/etl.py", "--task", "etl_worker.load", "-o", str(tmp_path))
    assert r.exit_code == 0 and (tmp_path / "etl_worker.load.plan.json").exists()


def test_build_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    r = run("build", "examples/etl.py", "--task", "nope", "-o", str(tmp_path))
    assert r.exit_code == 2
    assert "no task `nope`" in r.output and "etl_driver.main" in r.output
    r = run("build", "does/not/exist.py")
    assert r.exit_code == 2 and "no such file" in r.output


def test_build_reports_user_code_errors_like_check(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    (tmp_path / "wf.py").write_text(
        "import flyte\n\nenv = flyte.TaskEnvironment(name='Bad Name')\n\n\n"
        "@env.task\nasync def t(x: int) -> int:\n    return x\n"
    )
    (tmp_path / "broken.py").write_text("import flyte\ndef (:\n")
    monkeypatch.chdir(tmp_path)
    r = run("build", ".", "-o", "out")
    assert r.exit_code == 1
    assert "FLY601" in r.output and "Traceback" not in r.output
    assert (tmp_path / "out" / "Bad Name.t.plan.json").exists()


def test_schema_command(tmp_path: Path) -> None:
    r = run("schema", "plan")
    assert r.exit_code == 0
    schema = json.loads(r.output)
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert run("schema").output == r.output
    r = run("schema", "nope")
    assert r.exit_code == 2 and "unknown schema" in r.output
    r = run("schema", "-o", str(tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text()) == schema


def test_graph_mermaid_of_etl_for_the_readme_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    r = run("graph", "examples/etl.py::main", "--format", "mermaid")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("flowchart TD")
    assert "etl_worker.extract" in r.output and "× len(days)" in r.output


@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_graph_renders_pictures_without_system_graphviz(
    fmt: str, magic: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` program: use bundled pygraphviz
    out = tmp_path / f"etl.{fmt}"
    r = run("graph", "examples/etl.py::main", "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(magic)


def test_graph_formats_and_call_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    r = run("graph", "examples/two_envs.py", "--format", "dot")
    assert r.exit_code == 0
    assert "worker_env.tokenize" in r.output and "cluster_env_" in r.output
    r = run("graph", "examples/error_recovery.py::main", "--format", "json")
    data = json.loads(r.output)
    assert {n["kind"] for n in data["nodes"]} >= {"task", "try", "branch", "raise"}
    assert any(e["kind"] == "error" for e in data["edges"])
    r = run("graph", "examples/error_recovery.py::main", "--format", "json", "--detail", "full")
    assert {n["kind"] for n in json.loads(r.output)["nodes"]} >= {"merge", "glue"}


def test_graph_usage_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    r = run("graph", "examples/etl.py::nope")
    assert r.exit_code == 2 and "no task `nope`" in r.output
    r = run("graph", "examples/etl.py::")
    assert r.exit_code == 2
    r = run("graph", "missing.py")
    assert r.exit_code == 2
    r = run("graph", "examples/etl.py", "--format", "gif")
    assert r.exit_code == 2


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                        "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_graph_diff_against_a_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[project]\nname='x'\n")
    shutil.copy(EXAMPLES / "etl.py", repo / "etl.py")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    code = (repo / "etl.py").read_text()
    code = code.replace("        return await load(active, table)",
                        "        report = await load(active, table)\n"
                        "    await audit(report.table)\n    return report")
    code = code.replace("@driver_env.task\nasync def main",
                        "@worker_env.task\nasync def audit(table: str) -> str:\n"
                        "    return table\n\n\n@driver_env.task\nasync def main")
    (repo / "etl.py").write_text(code)
    monkeypatch.chdir(repo)
    r = run("graph", "etl.py::main", "--diff", "HEAD", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    status = {n["id"]: n.get("status") for n in data["nodes"]}
    assert status["audit"] == "added"
    assert any(e.get("status") == "added" for e in data["edges"])
    r = run("graph", "etl.py", "--diff", "HEAD", "--format", "json")
    data = json.loads(r.output)
    assert "1 added" in data["title"] and "1 changed" in data["title"]
    r = run("graph", "etl.py", "--diff", "no-such-rev")
    assert r.exit_code == 2 and "no-such-rev" in r.output
