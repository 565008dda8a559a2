"""`flytec check` on notebooks: findings in cells (text, JSON, SARIF snapshots), suppressions,
a cell that does not parse, non-Python kernels, directory walks, imports of project modules,
the incremental cache, and the same findings as the same code in a ``.py`` file.

Review snapshot changes: `pytest tests/notebooks --snapshot-update`, then read the diff of
tests/notebooks/__snapshots__/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from syrupy.assertion import SnapshotAssertion

from flytec.analyzer.check import check_paths
from flytec.cli import cli
from flytec.config import Config
from tests.conftest import EXAMPLES, REPO
from tests.notebooks.nbwrite import write

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """A copy of data/ as the working directory (check writes no cache there: --no-cache)."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    old = os.getcwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(old)


def _check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["text", "json", "concise", "github"])
def test_flow_notebook_output(data: Path, fmt: str, snapshot: SnapshotAssertion) -> None:
    r = _check("flow.ipynb", "--no-cache", "--format", fmt)
    assert r.exit_code == 1
    assert r.stdout == snapshot


def test_flow_notebook_sarif(data: Path, snapshot: SnapshotAssertion) -> None:
    r = _check("flow.ipynb", "--no-cache", "--format", "sarif")
    results = json.loads(r.stdout)["runs"][0]["results"]
    assert results == snapshot
    assert all(res["locations"][0]["properties"]["cell"] == res["properties"]["cell"]
               for res in results)


def test_findings_point_at_cells(data: Path) -> None:
    r = _check("flow.ipynb", "--no-cache", "--format", "json")
    found = [(d["code"], d["cell"], d["line"], d["column"])
             for d in json.loads(r.stdout)["diagnostics"]]
    assert found == [
        ("FLY103", 5, 4, 5),  # the un-awaited call (the one suppressed by noqa is not here)
        ("FLY001", 9, 1, 12),  # the cell that does not parse, at its own line
        ("FLY103", 10, 3, 5),  # the cells after it are still checked
    ]


def test_magics_are_not_python(data: Path) -> None:
    """`%pip`, `!`, `?`, `%%bash` and `files = !ls` produce no syntax error."""
    r = _check("flow.ipynb", "--no-cache", "--format", "json", "--select", "FLY001")
    cells = [d["cell"] for d in json.loads(r.stdout)["diagnostics"]]
    assert cells == [9]


def test_non_python_kernel_is_skipped_with_a_note(data: Path) -> None:
    r = _check("r_kernel.ipynb", "--no-cache")
    assert r.exit_code == 0
    assert r.stderr == ("flytec: note: r_kernel.ipynb: the notebook's kernel language is R, "
                        "not Python; skipped\n")
    assert "r_kernel.ipynb: skipped (its kernel is not Python)" in r.stdout
    assert "Nothing checked: 1 file skipped." in r.stdout


def test_directory_walk_takes_notebooks(data: Path) -> None:
    r = _check(".", "--no-cache", "--format", "concise")
    assert "flow.ipynb:cell 5:4:5: FLY103" in r.stdout
    assert "project/analysis.ipynb:cell 3:4:12: FLY104" in r.stdout
    assert "r_kernel.ipynb" in r.stderr


def test_notebooks_can_be_left_out_of_walks(data: Path) -> None:
    (data / "pyproject.toml").write_text("[tool.flytec]\nnotebooks = false\n")
    r = _check(".", "--no-cache", "--format", "concise")
    assert "ipynb" not in r.stdout + r.stderr
    r = _check("flow.ipynb", "--no-cache", "--format", "concise")  # named: still checked
    assert "flow.ipynb:cell 5:4:5: FLY103" in r.stdout


def test_notebook_checked_against_the_project_modules_it_imports(data: Path) -> None:
    os.chdir(data / "project")
    r = _check("analysis.ipynb", "--no-cache", "--format", "json")
    (d,) = json.loads(r.stdout)["diagnostics"]
    assert (d["code"], d["cell"], d["line"], d["column"]) == ("FLY104", 3, 4, 12)
    assert d["message"].startswith("sync task `shop.parse` is called directly from async task")


def test_incremental_check_of_a_notebook(tmp_path: Path) -> None:
    nb = write(tmp_path / "flow.ipynb", [
        ("code", "import flyte\n\nenv = flyte.TaskEnvironment(name='inc')\n"),
        ("code", "@env.task\nasync def leaf() -> None:\n    pass\n"),
        ("code", "@env.task\nasync def main() -> None:\n    await leaf()\n"),
    ])
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'inc'\n")
    config = Config()

    def run() -> tuple[list[tuple[str, int | None, int]], int]:
        from flytec.analyzer.incremental import check_incremental
        from flytec.compiler.project import Project

        project = Project(root=tmp_path, cache_dir=tmp_path / ".flytec_cache", cwd=tmp_path)
        r = check_incremental(project, [nb], config)
        return [(d.code, d.cell, d.span.line) for d in r.diagnostics], r.reused

    assert run() == ([], 0)
    assert run() == ([], 1)  # unchanged: its result comes from the index
    doc = json.loads(nb.read_text())
    doc["cells"][2]["source"] = ["@env.task\n", "async def main() -> None:\n", "    leaf()\n"]
    nb.write_text(json.dumps(doc))
    assert run() == ([("FLY103", 3, 3)], 0)  # a cell changed: analysed again
    assert run() == ([("FLY103", 3, 3)], 1)
    doc["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]
    nb.write_text(json.dumps(doc))
    assert run() == ([("FLY103", 3, 3)], 0)  # the key is the content: outputs too


def test_pre_commit_hook_takes_notebooks() -> None:
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    check = next(h for h in hooks if h["id"] == "flytec-check")
    assert "types" not in check
    assert check["types_or"] == ["python", "jupyter"]


# ------------------------------------------------- the same code as .py and as notebook


def _cells_of(source: str) -> list[str]:
    """A module cut into cells before top-level statements that follow a blank line (as a
    notebook author would), comments and decorators kept with the statement below them."""
    import ast

    lines = source.splitlines(keepends=True)
    cuts = set()
    for stmt in ast.parse(source).body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", []))])
        i = first - 1  # index of the statement's first line
        while i > 0 and lines[i - 1].lstrip().startswith("#"):
            i -= 1
        if i > 0 and lines[i - 1].strip() == "":
            cuts.add(i)
    cells: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if i in cuts:
            cells.append([])
        cells[-1].append(line)
    return ["".join(c) for c in cells if "".join(c).strip()]


@pytest.mark.parametrize("name", ["structure", "nondeterminism", "oom", "global_state",
                                  "types", "deploy"])
def test_same_findings_as_the_py_file(tmp_path: Path, name: str) -> None:
    source = (EXAMPLES / "buggy" / f"{name}.py").read_text(encoding="utf-8")
    cells = _cells_of(source)
    assert len(cells) > 5
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'same'\n")
    shutil.copy(EXAMPLES / "buggy" / "helpers.py", tmp_path / "helpers.py")
    py = tmp_path / "as_py" / f"{name}.py"
    py.parent.mkdir()
    py.write_text("".join(cells), encoding="utf-8")
    # markdown between code cells, as notebooks have: cell numbers are not code cell numbers
    nb_cells: list[tuple[str, str]] = []
    for c in cells:
        nb_cells += [("markdown", "Next:\n"), ("code", c)]
    nb = write(tmp_path / "as_nb" / f"{name}.ipynb", nb_cells)
    config = Config(cache=False)
    from_py = check_paths([py], config, cwd=tmp_path).diagnostics
    from_nb = check_paths([nb], config, cwd=tmp_path).diagnostics
    assert from_py  # the buggy examples have findings
    starts = []  # module line where each code cell starts
    n = 1
    for c in cells:
        starts.append(n)
        n += len(c.splitlines())

    def mapped(line: int) -> tuple[int, int]:
        i = max(k for k, s in enumerate(starts) if s <= line)
        return 2 * (i + 1), line - starts[i] + 1

    def in_cells(message: str) -> str:  # lines the message names, as lines of cells
        message = re.sub(r"\bline (\d+)\b",
                         lambda m: "cell {}, line {}".format(*mapped(int(m.group(1)))), message)
        return re.sub(f"as_py/{name}.py:(\\d+)", lambda m: f"as_nb/{name}.ipynb:cell "
                      + "{}:{}".format(*mapped(int(m.group(1)))), message)

    expected = [(d.code, *mapped(d.span.line), d.span.column, in_cells(d.message))
                for d in from_py]
    got = [(d.code, d.cell, d.span.line, d.span.column, d.message) for d in from_nb]
    assert got == expected


def test_a_notebook_next_to_its_py_twin_is_its_own_module(tmp_path: Path) -> None:
    """A jupytext pair (flow.py, flow.ipynb) is two modules: neither hides the other."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'pair'\n")
    code = ("import flyte\nenv = flyte.TaskEnvironment(name='{env}')\n\n@env.task\n"
            "async def leaf() -> None:\n    pass\n\n@env.task\nasync def main() -> None:\n"
            "    leaf()\n")
    (tmp_path / "flow.py").write_text(code.format(env="py_env"))
    write(tmp_path / "flow.ipynb", [("code", code.format(env="nb_env"))])
    r = check_paths([tmp_path], Config(cache=False), cwd=tmp_path)
    assert [(d.path, d.cell, d.span.line, d.task) for d in r.diagnostics] == [
        ("flow.ipynb", 1, 10, "nb_env.main"), ("flow.py", None, 10, "py_env.main")]
    assert {m.module for m in r.program.modules.values()} >= {"flow", "flow_ipynb"}


def test_cell_map_survives_the_ir_cache(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'ir'\n")
    nb = shutil.copy(DATA / "flow.ipynb", tmp_path / "flow.ipynb")
    config = Config(cache=True)
    cold = check_paths([Path(nb)], config, cwd=tmp_path).diagnostics
    assert any((tmp_path / ".flytec_cache").rglob("*"))
    warm = check_paths([Path(nb)], config, cwd=tmp_path).diagnostics  # IR from the cache
    assert [(d.code, d.cell, d.span) for d in warm] == [(d.code, d.cell, d.span) for d in cold]
    assert [d.cell for d in warm] == [5, 9, 10]
