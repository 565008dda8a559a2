"""Every runnable program in the repository's ``examples/`` gives its expected result.

Examples declare ``# flytec-example: run TASK --input json ...`` and
``# flytec-expect: <json>``; check-only examples are skipped. (The examples are written on
another branch: without an ``examples/`` directory this test is skipped.)
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_RUN = re.compile(r"^# flytec-example: run (\S+)(.*)$", re.M)
_EXPECT = re.compile(r"^# flytec-expect: (.*)$", re.M)


def _text(path: Path) -> str:
    """A module's text; a notebook's code cells (where its markers are)."""
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _cases() -> list[tuple[Path, str, list[str], str]]:
    cases = []
    found = [*EXAMPLES.rglob("*.py"), *EXAMPLES.rglob("*.ipynb")] if EXAMPLES.is_dir() else []
    for path in sorted(found):
        text = _text(path)
        run, expect = _RUN.search(text), _EXPECT.search(text)
        if run and expect:
            cases.append((path, run.group(1), shlex.split(run.group(2)), expect.group(1)))
    return cases


CASES = _cases()


@pytest.mark.skipif(not CASES, reason="no runnable examples/ in this checkout")
@pytest.mark.parametrize(
    ("path", "task", "args", "expected"),
    CASES,
    ids=[str(c[0].relative_to(EXAMPLES)) for c in CASES],
)
def test_example_runs_with_expected_result(
    flytec, path: Path, task: str, args: list[str], expected: str
) -> None:
    res = flytec("run", f"{path}::{task}", *args)
    assert res.code == 0, res.stderr
    try:
        got = json.loads(res.last_line)
    except ValueError:  # a string result prints as plain text
        got = res.last_line
    assert got == json.loads(expected)
