"""Outputs and attachments are not read: a notebook with 50 MB of them gives the findings of
its code alone (its speed is measured by benchmarks/notebooks.py, not here)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from flytec.analyzer.check import check_paths
from flytec.compiler.frontend.notebook import read_notebook
from flytec.config import Config
from tests.notebooks.nbwrite import write

CELLS = [
    ("markdown", "# Plots\n"),
    ("code", "import flyte\n\nenv = flyte.TaskEnvironment(name='plots')\n"),
    ("code", "@env.task\nasync def draw(n: int) -> int:\n    return n\n"),
    ("code", "@env.task\nasync def main(n: int) -> int:\n    draw(n)\n    return n\n"),
]


def huge_outputs(megabytes: int) -> dict[int, list[object]]:
    """About ``megabytes`` MB of outputs, as Jupyter stores them: a PNG (base64) and a long
    stream of text lines, with text that would be wrong as code (and mentions flyte)."""
    png = base64.b64encode(os.urandom(megabytes * 1024 * 1024 // 2 * 3 // 4)).decode()
    text = [f"step {i}: flyte.run( def broken(: %%bash\n" for i in range(megabytes * 9_000)]
    return {
        3: [{"output_type": "display_data", "metadata": {},
             "data": {"image/png": png, "text/plain": ["<Figure size 640x480>"]}}],
        4: [{"output_type": "stream", "name": "stdout", "text": text},
            {"output_type": "error", "ename": "SyntaxError", "evalue": "x",
             "traceback": ["\u001b[0;31m  File <cell>\n    def broken(:\n"]}],
    }


def _found(path: Path, cwd: Path) -> list[tuple[str, int | None, int, int]]:
    diags = check_paths([path], Config(cache=False), cwd=cwd).diagnostics
    return [(d.code, d.cell, d.span.line, d.span.column) for d in diags]


def test_huge_outputs_give_the_findings_of_the_code(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'big'\n")
    small = write(tmp_path / "small.ipynb", CELLS)
    big = write(tmp_path / "big.ipynb", CELLS, outputs=huge_outputs(50))
    assert big.stat().st_size > 50_000_000
    assert _found(small, tmp_path) == _found(big, tmp_path) == [("FLY103", 4, 3, 5)]


def test_attachments_and_cell_metadata_are_not_code(tmp_path: Path) -> None:
    doc = json.loads(write(tmp_path / "a.ipynb", CELLS).read_text())
    doc["cells"][0]["attachments"] = {"img.png": {"image/png": "iVBORw0KGgo="}}
    doc["cells"][1]["metadata"] = {"tags": ["parameters"], "source": "not this"}
    nb = read_notebook(json.dumps(doc).encode())
    assert [n for n, _ in nb.cells] == [2, 3, 4]
    assert nb.cells[0][1] == CELLS[1][1]


def test_outputs_over_the_size_limit_are_not_a_too_large_file(tmp_path: Path) -> None:
    """The 5 MiB limit is on the code, not on the file (outputs are most of a notebook)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'big'\n")
    big = write(tmp_path / "big.ipynb", CELLS, outputs=huge_outputs(8))
    assert big.stat().st_size > 5 * 1024 * 1024
    assert [c for c, *_ in _found(big, tmp_path)] == ["FLY103"]
