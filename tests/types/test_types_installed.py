"""The stubs of an installed flytec: mypy refuses a ``mypy_path`` inside site-packages, so
they are given to mypy from a copy (``flytec check --types`` from a wheel crashed before;
``make test-wheel`` runs it end to end)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from flytec.analyzer.types import stubs_copy
from flytec.analyzer.types.stubs_copy import mypy_stubs
from flytec.analyzer.types.stubs_path import stubs_dir, stubs_hash


def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> Path:
    fake = tmp_path / "venv" / "lib" / "python3.11" / folder / "flytec" / "stubs"
    shutil.copytree(stubs_dir(), fake)
    monkeypatch.setattr(stubs_copy, "stubs_dir", lambda: fake)
    return fake


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.pyi")}


@pytest.mark.parametrize("folder", ["site-packages", "dist-packages"])
def test_installed_stubs_are_copied_out_of_site_packages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    installed = _installed(tmp_path, monkeypatch, folder)
    cache = tmp_path / "project" / ".flytec_cache" / "mypy"
    cache.mkdir(parents=True)
    with mypy_stubs(cache) as got:
        assert folder not in got.parts and got.parent == cache.parent
        assert got.name == f"flyte-stubs-{stubs_hash()}"
        assert _tree(got) == _tree(installed) and "flyte/__init__.pyi" in _tree(got)
    # once per content: a second run reuses the copy
    marker = got / "flyte" / "__init__.pyi"
    before = marker.stat().st_mtime_ns
    with mypy_stubs(cache) as again:
        assert again == got and marker.stat().st_mtime_ns == before
    assert sorted(p.name for p in cache.parent.iterdir()) == sorted([got.name, "mypy"])


def test_stubs_of_a_source_tree_are_used_in_place(tmp_path: Path) -> None:
    with mypy_stubs(tmp_path / "cache" / "mypy") as got:
        assert got == stubs_dir()
    assert not (tmp_path / "cache").exists()


def test_without_a_cache_the_copy_is_temporary_and_outside_the_project(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = _installed(tmp_path, monkeypatch, "site-packages")
    with mypy_stubs(Path(os.devnull)) as got:  # how --no-cache runs mypy
        assert "site-packages" not in got.parts and not got.is_relative_to(tmp_path)
        assert _tree(got) == _tree(installed)
    assert not got.exists()  # nothing stays behind


def test_a_damaged_or_planted_copy_is_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy lives in the project's cache: a spoiled file, or one added, is never given to
    mypy (a damaged copy made mypy fail with "Cannot decode file" on 3.10's wheel install)."""
    installed = _installed(tmp_path, monkeypatch, "site-packages")
    cache = tmp_path / "project" / ".flytec_cache" / "mypy"
    cache.mkdir(parents=True)
    with mypy_stubs(cache) as got:
        pass
    (got / "flyte" / "__init__.pyi").write_bytes(b"\xea garbage")
    (got / "flyte" / "planted.pyi").write_text("x: int\n")
    with mypy_stubs(cache) as again:
        assert again == got and _tree(again) == _tree(installed)
    assert sorted(p.name for p in cache.parent.iterdir()) == sorted([got.name, "mypy"])
