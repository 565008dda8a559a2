"""Fixtures of the type-check tests: the fixture project checked both ways (see
``types_helpers`` for how the real flyte is found)."""

from __future__ import annotations

from pathlib import Path

import pytest
from types_helpers import copy_project, project_files, real_flyte_python

from flytec.analyzer.types import TypeCheckOptions, TypeCheckResult, check_types


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the tests that do not test its location (saves a cold start each)."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="session")
def stub_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TypeCheckResult]:
    root = copy_project(tmp_path_factory.mktemp("stubs") / "proj")
    options = TypeCheckOptions(show_other=True, stubs="always")
    return root, check_types(project_files(root), root, options)


@pytest.fixture(scope="session")
def real_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TypeCheckResult]:
    python = real_flyte_python()
    if python is None:
        pytest.skip("no Python with the real flyte (set FLYTEC_REAL_FLYTE_PYTHON)")
    root = copy_project(tmp_path_factory.mktemp("real") / "proj")
    options = TypeCheckOptions(show_other=True, stubs="never", python_executable=python)
    return root, check_types(project_files(root), root, options)
