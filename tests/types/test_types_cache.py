"""Results are cached per file: a second run over unchanged files does not run mypy."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flytec.analyzer.types import TypeCheckOptions, check_types, mypy_invoke, mypy_runner
from flytec.cache_trust import private_name

TASKS = """
import flyte

env = flyte.TaskEnvironment(name="lib")


@env.task
async def scale(value: float) -> float:
    return value * 2
"""

FLOW = """
import flyte

from lib import scale

env = flyte.TaskEnvironment(name="flow")


@env.task
async def main() -> float:
    return await scale("x")
"""

LEAF = """
import flyte

env = flyte.TaskEnvironment(name="leaf")


@env.task
async def one(x: int) -> int:
    return x


@env.task
async def main() -> str:
    y: str = await one(1)
    return y
"""


def _project(root: Path) -> list[Path]:
    files = {"lib.py": TASKS, "flow.py": FLOW, "leaf.py": LEAF}
    for name, code in files.items():
        (root / name).write_text(textwrap.dedent(code))
    return [root / name for name in sorted(files)]


def _summary(root: Path, files: list[Path], options: TypeCheckOptions) -> list[str]:
    result = check_types(files, root, options)
    return [f"{d.path}:{d.span.line} {d.code} {d.message}" for d in result.diagnostics]


def test_second_run_does_not_invoke_mypy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = TypeCheckOptions(stubs="always")  # mypy's cache in its default place
    files = _project(tmp_path)
    first = check_types(files, tmp_path, options)
    assert first.mypy_ran and first.checked == 3 and first.cached == 0
    # mypy's cache directory is named from the user's cache key (never a committed one)
    assert not (tmp_path / ".flytec_cache" / "mypy").exists()
    assert (tmp_path / ".flytec_cache" / f"mypy-{private_name('mypy-cache')}" / "stubs").is_dir()
    assert (tmp_path / ".flytec_cache" / "types").is_dir()

    before = mypy_invoke.invocation_count()

    def no_mypy(*args: object, **kwargs: object) -> None:
        raise AssertionError("mypy must not run for unchanged files")

    monkeypatch.setattr(mypy_runner, "invoke_mypy", no_mypy)
    second = check_types(files, tmp_path, options)
    assert not second.mypy_ran and second.checked == 0 and second.cached == 3
    assert second.diagnostics == first.diagnostics
    assert second.signatures == first.signatures
    assert mypy_invoke.invocation_count() == before


def test_only_changed_files_are_checked_again(tmp_path: Path, mypy_cache: Path) -> None:
    options = TypeCheckOptions(stubs="always", mypy_cache_dir=mypy_cache)
    files = _project(tmp_path)
    check_types(files, tmp_path, options)
    leaf = tmp_path / "leaf.py"
    leaf.write_text(leaf.read_text().replace("y: str", "y: int").replace("-> str", "-> int"))
    result = check_types(files, tmp_path, options)
    assert result.checked == 1 and result.cached == 2
    assert not [d for d in result.diagnostics if d.path == "leaf.py"]


def test_a_changed_import_invalidates_its_importers(tmp_path: Path, mypy_cache: Path) -> None:
    options = TypeCheckOptions(stubs="always", mypy_cache_dir=mypy_cache)
    files = _project(tmp_path)
    before = _summary(tmp_path, files, options)
    assert "flow.py:11 FLY210 argument `value` of task `lib.scale` expects float, got str" in before
    lib = tmp_path / "lib.py"
    lib.write_text(lib.read_text().replace("value", "amount"))
    result = check_types(files, tmp_path, options)
    assert result.checked == 2 and result.cached == 1  # lib.py and flow.py, not leaf.py
    messages = [d.message for d in result.diagnostics if d.path == "flow.py"]
    assert messages == ["argument `amount` of task `lib.scale` expects float, got str"]


def test_other_mypy_errors_are_filtered_after_the_cache(tmp_path: Path, mypy_cache: Path) -> None:
    options = TypeCheckOptions(stubs="always", mypy_cache_dir=mypy_cache)
    files = _project(tmp_path)
    (tmp_path / "other.py").write_text("x: int = 'not an int'\n")
    files.append(tmp_path / "other.py")
    hidden = check_types(files, tmp_path, options)
    assert "FLY219" not in {d.code for d in hidden.diagnostics}
    shown = check_types(
        files,
        tmp_path,
        TypeCheckOptions(stubs="always", show_other=True, mypy_cache_dir=mypy_cache),
    )
    assert not shown.mypy_ran
    assert [d.path for d in shown.diagnostics if d.code == "FLY219"] == ["other.py"]


def test_cache_can_be_turned_off(tmp_path: Path, mypy_cache: Path) -> None:
    files = _project(tmp_path)
    options = TypeCheckOptions(stubs="always", use_cache=False, mypy_cache_dir=mypy_cache)
    check_types(files, tmp_path, options)
    again = check_types(files, tmp_path, options)
    assert again.mypy_ran and again.checked == 3
    assert not (tmp_path / ".flytec_cache" / "types").exists()


def test_a_corrupt_cache_entry_is_a_miss(tmp_path: Path, mypy_cache: Path) -> None:
    options = TypeCheckOptions(stubs="always", mypy_cache_dir=mypy_cache)
    files = _project(tmp_path)
    first = _summary(tmp_path, files, options)
    for entry in (tmp_path / ".flytec_cache" / "types").glob("*.json"):
        entry.write_text("{not json")
    result = check_types(files, tmp_path, options)
    assert result.checked == 3
    assert [f"{d.path}:{d.span.line} {d.code} {d.message}" for d in result.diagnostics] == first


def test_a_missing_module_that_appears_invalidates_its_importers(
    tmp_path: Path, mypy_cache: Path
) -> None:
    options = TypeCheckOptions(stubs="always", mypy_cache_dir=mypy_cache)
    (tmp_path / "flow.py").write_text(textwrap.dedent(FLOW))
    files = [tmp_path / "flow.py"]
    first = check_types(files, tmp_path, options)
    assert first.diagnostics == []  # `lib` does not exist yet: nothing to check against
    (tmp_path / "lib.py").write_text(textwrap.dedent(TASKS))
    second = check_types(files, tmp_path, options)
    assert second.mypy_ran
    assert [d.code for d in second.diagnostics] == ["FLY210"]


def test_missing_third_party_imports_do_not_stop_caching(tmp_path: Path, mypy_cache: Path) -> None:
    options = TypeCheckOptions(stubs="always", mypy_cache_dir=mypy_cache)
    (tmp_path / "uses_torch.py").write_text("import torch_not_installed_anywhere\n" + LEAF)
    files = [tmp_path / "uses_torch.py"]
    check_types(files, tmp_path, options)
    again = check_types(files, tmp_path, options)
    assert not again.mypy_ran and again.cached == 1
