"""The pre-commit set-ups of docs/pre-commit.md, followed literally: the hook installed by the
`pre-commit` package from a local clone of flytec at a release tag blocks a commit with a bug,
lets a fixed one (with a non-Flyte file beside it) through, and leaves `git status` clean of
flytec's cache. The clone is a copy of this work tree, tagged by `make release-tag` in the
temporary copy (never in this repository). Installing the hook's virtualenv takes pip about
half a minute (flytec's dependencies come from the package index, through pip's cache)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_first_ten import buggy
from tests.conftest import REPO

pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is in the dev extra")

GIT_ID = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
          "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No PYTHONPATH into this work tree (the hook must run the flytec it installed), only
    where `pre_commit` itself lives; pre-commit's store in the temporary folder."""
    import site

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GIT_"))}
    env.update(GIT_ID, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), **extra)
    where = Path(pre_commit.__file__).resolve().parents[1]
    if str(where) not in {str(Path(p).resolve()) for p in site.getsitepackages()}:
        env["PYTHONPATH"] = str(where)  # pre-commit installed outside this interpreter
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def _release_clone(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding this work tree's files, tagged by the release process."""
    clone = tmp_path / "flytec"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        src = REPO / rel
        if src.is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, clone / rel)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "release"]):
        assert _git(clone, env, *args).returncode == 0
    made = subprocess.run(["make", "release-tag", f"PY={sys.executable}"], cwd=clone, env=env,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    version = re.search(r'^__version__ = "(.+)"', (REPO / "flytec" / "__init__.py").read_text(),
                        re.M)
    assert version is not None
    tag = f"v{version.group(1)}"
    assert _git(clone, env, "tag", "--list").stdout.split() == [tag]
    return clone, tag


def _user_project(tmp_path: Path, env: dict[str, str], config: str) -> Path:
    proj = tmp_path / "project"
    proj.mkdir()
    assert _git(proj, env, "init", "-q").returncode == 0
    (proj / ".pre-commit-config.yaml").write_text(config)
    (proj / "pyproject.toml").write_text("[project]\nname = 'user'\n")
    (proj / "flow.py").write_text(buggy())
    (proj / "util.py").write_text("def helper() -> int:\n    return 1\n")
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=proj, env=env,
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    return proj


def _commit_is_blocked_then_allowed(proj: Path, env: dict[str, str]) -> None:
    assert _git(proj, env, "add", "-A").returncode == 0
    blocked = _git(proj, env, "commit", "-qm", "a bug")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "FLY103" in blocked.stdout + blocked.stderr
    assert _git(proj, env, "rev-parse", "--verify", "HEAD").returncode != 0  # no commit
    (proj / "flow.py").write_text(buggy().replace("double(x=x)", "await double(x=x)"))
    assert _git(proj, env, "add", "-A").returncode == 0
    ok = _git(proj, env, "commit", "-qm", "fixed")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    status = _git(proj, env, "status", "--porcelain", "--untracked-files=all").stdout
    assert status == "", status  # .flytec_cache ignores itself


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None,
                    reason="needs git and make")
def test_hook_from_a_local_clone_at_a_release_tag_blocks_a_bug(tmp_path: Path) -> None:
    env = _env(tmp_path)
    clone, tag = _release_clone(tmp_path, env)
    config = (REPO / "docs" / "pre-commit.md").read_text()
    block = re.search(r"```yaml\n(repos:\n  - repo: /path/to/flytec.*?)```", config, re.S)
    assert block is not None, "docs/pre-commit.md shows the local-clone set-up"
    yaml = block.group(1).replace("/path/to/flytec", str(clone))
    assert f"rev: {tag}" in yaml
    proj = _user_project(tmp_path, env, yaml)
    _commit_is_blocked_then_allowed(proj, env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_local_hook_with_the_flytec_on_path_blocks_a_bug(tmp_path: Path) -> None:
    """The `repo: local` set-up: the flytec of the active environment (here a stand-in for
    `.venv/bin` that runs this work tree's flytec)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "flytec").write_text(
        f'#!/bin/sh\nPYTHONPATH="{REPO}" exec "{sys.executable}" -m flytec "$@"\n')
    (bindir / "flytec").chmod(0o755)
    env = _env(tmp_path, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    config = (REPO / "docs" / "pre-commit.md").read_text()
    block = re.search(r"```yaml\n(repos:\n  - repo: local\n.*?language: system.*?)```",
                      config, re.S)
    assert block is not None, "docs/pre-commit.md shows the repo: local set-up"
    proj = _user_project(tmp_path, env, block.group(1))
    _commit_is_blocked_then_allowed(proj, env)
