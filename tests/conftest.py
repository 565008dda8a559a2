"""Shared test helpers: write a small project to a temp dir and check it."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from flytec.analyzer.check import CheckResult, check_paths
from flytec.config import Config

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "min_python(version, reason): the test needs this Python or newer (it runs code using "
        "an API added there); on older ones it is skipped, and the skip says why",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for m in item.iter_markers("min_python"):
        need = tuple(int(x) for x in str(m.args[0]).split("."))
        if sys.version_info[: len(need)] < need:
            reason = m.kwargs.get("reason") or (m.args[1] if len(m.args) > 1 else "")
            pytest.skip(f"needs Python {m.args[0]}+ ({reason}); this is Python "
                        f"{sys.version_info.major}.{sys.version_info.minor}")


def write_project(root: Path, files: str | dict[str, str]) -> list[Path]:
    """Write files (``{relative path: code}``, or one module's code) under ``root``.

    Code is dedented and encoded with ``surrogateescape``, so a test can write bytes that
    are not UTF-8 (``"\\udce9"`` becomes the byte 0xE9).
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'fixture'\n")
    if isinstance(files, str):
        files = {"main.py": files}
    paths = []
    for name, code in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(textwrap.dedent(code).encode("utf-8", "surrogateescape"))
        paths.append(p)
    return paths


CheckFn = Callable[..., CheckResult]


@pytest.fixture
def check(tmp_path: Path) -> CheckFn:
    """``check(files, only=[paths...], **config)`` -> CheckResult for a temp project."""

    def run(files: str | dict[str, str], only: list[str] | None = None, **cfg: object) -> (
        CheckResult
    ):
        paths = write_project(tmp_path, files)
        if only is not None:
            paths = [tmp_path / o for o in only]
        config = Config(cache=False)
        for k, v in cfg.items():
            setattr(config, k, v)
        return check_paths(paths, config, cwd=tmp_path)

    return run


def codes(result: CheckResult) -> list[str]:
    return [d.code for d in result.diagnostics]
