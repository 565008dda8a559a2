"""`flytec graph --diff REV`: no user value ever reaches git as an option (issue 20, item 3)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from flytec.cli import cli
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_text("[project]\nname='x'\n")
    shutil.copy(EXAMPLES / "etl.py", repo / "etl.py")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "one"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    return repo


@pytest.mark.parametrize("rev", [
    "--output={out}",
    "-o{out}",
    "--remote=ext::sh -c touch% {out}",
    "HEAD --output={out}",
    "HEAD\n--output={out}",
])
def test_a_revision_is_never_a_git_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rev: str
) -> None:
    repo = _repo(tmp_path)
    out = tmp_path / "written-by-git"
    monkeypatch.chdir(repo)
    r = CliRunner().invoke(cli, ["graph", "etl.py", f"--diff={rev.format(out=out)}"])
    assert r.exit_code == 2, r.output
    assert "revision" in r.output
    assert not out.exists()
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_a_commit_id_and_a_branch_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.strip()
    monkeypatch.chdir(repo)
    for rev in (head, head[:10], "HEAD", "HEAD~0"):
        r = CliRunner().invoke(cli, ["graph", "etl.py", "--diff", rev, "--format", "json"])
        assert r.exit_code == 0, (rev, r.output)
