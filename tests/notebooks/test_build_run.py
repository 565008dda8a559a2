"""`flytec build`, `graph` and `run` take notebooks: plans and pictures located in cells, and
a run of the code cells without the driver cells."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.cli import cli
from tests.notebooks.nbwrite import write

CELLS = [
    ("markdown", "# Doubling\n"),
    ("code", "%pip install flyte\nimport asyncio\n\nimport flyte\n"),
    ("code", "env = flyte.TaskEnvironment(name='nbrun')\n\n\n@env.task\n"
             "async def double(n: int) -> int:\n    return 2 * n\n"),
    ("code", "@env.task\nasync def main(x: int) -> list[int]:\n"
             "    while x < 100:\n        x = await double(x)\n"
             "    return list(await asyncio.gather(double(x), double(x + 1)))\n"),
    ("code", "!echo this shell escape does not run\n"),
    ("code", "flyte.init_from_config()\nraise SystemExit('the driver cell ran')\n"),
    ("code", "r = flyte.run(main, x=1)\nprint(r.url)\n"),
]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'nb'\n")
    write(tmp_path / "flow.ipynb", CELLS)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _flytec(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_build_writes_plans_located_in_cells(project: Path) -> None:
    r = _flytec("build", "flow.ipynb", "-o", "plans")
    assert r.exit_code == 0, r.output
    assert "nbrun.main" in r.stdout and "dynamic" in r.stdout
    assert "flow.ipynb:cell 4:3:5: `while x < 100`" in r.stdout  # the reason, in its cell
    plan = json.loads((project / "plans" / "nbrun.main.plan.json").read_text())
    assert (plan["source"]["path"], plan["source"]["cell"], plan["source"]["line"]) == (
        "flow.ipynb", 4, 2)
    assert {(n["cell"], n["line"]) for n in plan["nodes"] if n["kind"] == "task"} >= {(4, 5)}
    assert plan["dynamic_reasons"][0]["cell"] == 4
    assert plan["callees"]["nbrun.double"]["source"]["cell"] == 3


def test_build_of_a_py_file_has_no_cells(project: Path) -> None:
    (project / "flow.py").write_text("import flyte\nenv = flyte.TaskEnvironment(name='p')\n"
                                     "@env.task\nasync def main() -> None:\n    pass\n")
    assert _flytec("build", "flow.py", "-o", "plans").exit_code == 0
    assert '"cell"' not in (project / "plans" / "p.main.plan.json").read_text()


def test_graph_of_a_notebook_task(project: Path) -> None:
    r = _flytec("graph", "flow.ipynb::main", "-f", "mermaid")
    assert r.exit_code == 0, r.output
    assert "%% nbrun.main   (flow.ipynb:cell 4:2)" in r.stdout
    assert "nbrun.double" in r.stdout
    r = _flytec("graph", "flow.ipynb", "-f", "mermaid")
    assert r.exit_code == 0 and "call graph of flow.ipynb" in r.stdout


def test_run_executes_the_cells_but_the_driver(project: Path, tmp_path: Path) -> None:
    r = _flytec("run", "--store", str(tmp_path / "store"), "--no-progress",
                "flow.ipynb::main", "--x", "1")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[256, 258]"
    assert "driver cell ran" not in r.output


def test_run_refuses_a_notebook_with_a_broken_cell(project: Path, tmp_path: Path) -> None:
    write(project / "broken.ipynb", [*CELLS[:4], ("code", "def broken(:\n    pass\n")])
    r = _flytec("run", "--store", str(tmp_path / "store"), "--no-progress",
                "broken.ipynb::main", "--x", "1")
    assert r.exit_code == 2
    assert "cannot load broken.ipynb:cell 5:1:12: syntax error: invalid syntax" in r.stderr
    assert "Traceback" not in r.output


def test_build_and_graph_note_a_non_python_notebook(project: Path) -> None:
    write(project / "r.ipynb", [("code", "x <- 1\n")], language="R",
          kernel={"display_name": "R", "language": "R", "name": "ir"})
    note = "flytec: note: r.ipynb: the notebook's kernel language is R, not Python; skipped\n"
    r = _flytec("build", ".", "-o", "plans", "-q")
    assert r.exit_code == 0 and r.stderr == note
    r = _flytec("graph", ".", "-f", "mermaid")
    assert r.exit_code == 0 and r.stderr == note
