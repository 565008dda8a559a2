"""``flytec report`` from the command line: the last line, clear errors for a bad PATH or
output directory, and an earlier report replaced without touching anything else."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.cli import cli
from flytec.codegen.site import links
from flytec.codegen.site.write import MARKER
from tests.conftest import write_project

TWO = '''
import flyte

env = flyte.TaskEnvironment(name="two")


@env.task
async def first(x: int) -> int:
    return x


@env.task
async def second(x: int) -> int:
    return await first(x)
'''


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    write_project(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n", "wf.py": TWO})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _report(*args: str) -> Result:
    return CliRunner().invoke(cli, ["report", *args])


def test_report_writes_the_site_and_says_where(project: Path) -> None:
    r = _report(".", "-o", "site", "-q")
    assert r.exit_code == 0, r.output
    assert r.output.strip() == (
        "Wrote the report of 1 file to site/index.html: 1 workflow (1 static, 0 dynamic), "
        "1 leaf task, 1 environment, 0 findings.")
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / links.task_page("wf:second")).is_file()


def test_the_default_directory_is_under_the_project_root(project: Path) -> None:
    r = _report("-q")
    assert r.exit_code == 0, r.output
    assert (project / "build" / "flytec-report" / "index.html").is_file()


def test_a_missing_path_is_a_clear_error(project: Path) -> None:
    r = _report("nope.py", "-o", "site")
    assert r.exit_code == 2
    assert r.output.startswith("flytec: error: ") and "nope.py" in r.output
    assert "Traceback" not in r.output and not (project / "site").exists()


def test_a_file_as_output_directory_is_a_clear_error(project: Path) -> None:
    (project / "taken").write_text("mine")
    r = _report(".", "-o", "taken")
    assert r.exit_code == 2 and "taken: not a directory" in r.output
    r = _report(".", "-o", "taken/site")
    assert r.exit_code == 2 and "cannot create the directory" in r.output
    assert (project / "taken").read_text() == "mine"


def test_a_directory_holding_other_files_is_refused(project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "index.html").write_text("the user's page")
    r = _report(".", "-o", "docs")
    assert r.exit_code == 2
    assert "not empty and holds no earlier report" in r.output
    assert (project / "docs" / "index.html").read_text() == "the user's page"


def test_an_earlier_report_is_replaced_and_its_stale_pages_removed(project: Path) -> None:
    assert _report(".", "-o", "site", "-q").exit_code == 0
    site = project / "site"
    old_page = site / links.task_page("wf:first")
    assert old_page.is_file() and (site / MARKER).is_file()
    (site / "notes.txt").write_text("kept: not written by flytec")
    (project / "wf.py").write_text(TWO.replace("first", "primero"))
    r = _report(".", "-o", "site", "-q")
    assert r.exit_code == 0, r.output
    assert not old_page.exists()
    assert (site / links.task_page("wf:primero")).is_file()
    assert (site / "notes.txt").read_text() == "kept: not written by flytec"
    listed = (site / MARKER).read_text().splitlines()
    assert links.task_page("wf:primero") in listed and links.task_page("wf:first") not in listed


def test_report_is_listed_in_the_help() -> None:
    r = CliRunner().invoke(cli, ["--help"])
    assert "report" in r.output and "static review site" in r.output
