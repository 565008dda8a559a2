"""Helpers of the type-check tests: the fixture project, expectations, the real flyte.

The "real flyte" runs need a Python interpreter with the ``flyte`` package: set
``FLYTEC_REAL_FLYTE_PYTHON=/path/to/python`` (e.g. a venv made with
``python -m venv /tmp/flyte-venv && /tmp/flyte-venv/bin/pip install flyte==2.12.1``), or
install ``flyte`` next to flytec.  Without one those tests are skipped.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path

from flytec.analyzer.types import TypeCheckResult

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT = FIXTURES / "proj"
_EXPECT = re.compile(r"#\s*expect(?:\[(?P<mode>\w+)\])?:\s*(?P<codes>FLY2\d\d(?:\s*,\s*FLY2\d\d)*)")


def real_flyte_python() -> str | None:
    """A Python interpreter that has the real ``flyte``, or None."""
    configured = os.environ.get("FLYTEC_REAL_FLYTE_PYTHON")
    if configured:
        return configured if Path(configured).exists() else None
    if importlib.util.find_spec("flyte") is not None:
        return sys.executable
    return None


def copy_project(destination: Path) -> Path:
    shutil.copytree(PROJECT, destination, ignore=shutil.ignore_patterns(".flytec_cache"))
    return destination


def project_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if ".flytec_cache" not in p.parts)


def expectations(root: Path, mode: str) -> set[tuple[str, int, str]]:
    """``(relative path, line, code)`` for every ``# expect: FLY2xx`` comment that applies."""
    found: set[tuple[str, int, str]] = set()
    for path in project_files(root):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = _EXPECT.search(line)
            if match and match["mode"] in (None, mode):
                for code in re.findall(r"FLY2\d\d", match["codes"]):
                    found.add((path.relative_to(root).as_posix(), number, code))
    return found


def boundary_findings(result: TypeCheckResult) -> set[tuple[str, int, str]]:
    """What the run reported at task boundaries (FLY210-FLY218)."""
    return {(d.path, d.span.line, d.code) for d in result.diagnostics if d.code != "FLY219"}
