"""Cold runs parse files on several processes; the result must not depend on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from flytec.analyzer.check import check_paths
from flytec.cli import cli
from flytec.compiler.frontend import parallel
from flytec.config import Config, ConfigError, parse_table
from tests.conftest import write_project

STAGE = """
import asyncio
import random

import flyte

from pkg.envs import env

COUNTS = {{}}


@env.task
async def load_{i}(day: str) -> list[float]:
    COUNTS["{i}"] = COUNTS.get("{i}", 0) + 1
    return [random.random() for _ in range(len(day))]


@env.task
async def main_{i}(days: list[str]) -> float:
    parts = await asyncio.gather(*[load_{i}(day=d) for d in days])
    load_{i}(day="x")
    return sum(sum(p) for p in parts)
"""


def _project(root: Path, n: int) -> list[Path]:
    files = {
        "pkg/__init__.py": "",
        "pkg/envs.py": 'import flyte\nenv = flyte.TaskEnvironment(name="etl")\n',
    }
    files.update({f"pkg/stage_{i}.py": STAGE.format(i=i) for i in range(n)})
    files["pkg/broken.py"] = "import flyte\ndef f(:\n"
    write_project(root, files)
    return [root / "pkg"]


def _diagnostics(root: Path, jobs: int, cache: bool = False) -> list[tuple[object, ...]]:
    result = check_paths([root / "pkg"], Config(cache=cache, jobs=jobs), cwd=root)
    return [(d.path, d.span, d.code, d.message) for d in result.diagnostics]


def test_parallel_and_serial_parsing_give_the_same_diagnostics(tmp_path: Path) -> None:
    _project(tmp_path, parallel.MIN_FILES + 6)
    serial = _diagnostics(tmp_path, jobs=1)
    par = _diagnostics(tmp_path, jobs=2)
    assert par == serial
    codes = {c for _, _, c, _ in serial}
    assert {"FLY001", "FLY103", "FLY401"} <= codes  # syntax error, dropped call, global write


def test_preparse_parses_every_cache_miss_ahead(tmp_path: Path) -> None:
    _project(tmp_path, parallel.MIN_FILES + 2)
    from flytec.compiler.project import Project

    project = Project(root=tmp_path, cwd=tmp_path, jobs=2)
    files = sorted((tmp_path / "pkg").glob("stage_*.py"))
    project.preparse([(f, f.read_bytes()) for f in files])
    assert len(project._preparsed) == len(files)


def test_workers_fill_the_ir_cache(tmp_path: Path) -> None:
    _project(tmp_path, parallel.MIN_FILES)
    first = _diagnostics(tmp_path, jobs=2, cache=True)
    entries = list((tmp_path / ".flytec_cache").rglob("*.pickle"))
    assert len(entries) >= parallel.MIN_FILES
    assert _diagnostics(tmp_path, jobs=2, cache=True) == first


def _die() -> object:
    os._exit(3)  # a worker killed mid-parse (OOM killer, a crash in native code)


def test_a_dying_worker_neither_hangs_nor_loses_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, parallel.MIN_FILES + 1)
    serial = _diagnostics(tmp_path, jobs=1)
    monkeypatch.setattr(parallel, "_work", _die)
    jobs = [parallel.ParseJob(str(i), b"import flyte\n", f"m{i}.py", f"m{i}", False)
            for i in range(parallel.MIN_FILES)]
    got = parallel.parse_in_parallel(jobs, 2)  # returns: the pool is broken, not awaited
    assert set(got) <= {j.key for j in jobs}
    assert _diagnostics(tmp_path, jobs=2) == serial  # what the pool lost is parsed here
    assert "Traceback" not in capfd.readouterr().err


def test_few_files_do_not_start_a_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 3)

    def no_pool(*args: object, **kwargs: object) -> object:
        raise AssertionError("a pool was started for a handful of files")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", no_pool)
    assert _diagnostics(tmp_path, jobs=2)


def test_jobs_setting_and_flag(tmp_path: Path) -> None:
    assert parse_table({"jobs": 3}, "pyproject.toml").jobs == 3
    for bad in (-1, "2", True, 1.5):
        with pytest.raises(ConfigError, match="`jobs` must be a whole number"):
            parse_table({"jobs": bad}, "pyproject.toml")
    assert parallel.available_jobs(0) >= 1 and parallel.available_jobs(5) == 5
    _project(tmp_path, 2)
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        ok = runner.invoke(cli, ["check", "pkg", "-j", "2", "-f", "json", "--no-cache"])
        bad = runner.invoke(cli, ["check", "pkg", "--jobs", "-3"])
    finally:
        os.chdir(old)
    assert ok.exit_code == 1 and json.loads(ok.output)["summary"]["errors"] >= 1
    assert bad.exit_code == 2 and "-3" in bad.output
