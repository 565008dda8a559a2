"""Never a traceback: unparsable files, missing files and a failing mypy are handled."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytec.analyzer.types import TypeCheckOptions, check_types, mypy_runner
from flytec.model.diagnostic import Severity

GOOD = """import flyte

env = flyte.TaskEnvironment(name="good")


@env.task
async def one(x: int) -> int:
    return x


@env.task
async def main() -> int:
    return await one("1")
"""


def test_a_file_that_does_not_parse_does_not_stop_the_others(
    tmp_path: Path, mypy_cache: Path
) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "broken.py").write_text("def broken(:\n    pass\n")
    files = [tmp_path / "broken.py", tmp_path / "good.py"]
    result = check_types(
        files,
        tmp_path,
        TypeCheckOptions(mypy_cache_dir=mypy_cache, stubs="always", show_other=True),
    )
    assert [(d.path, d.code) for d in result.diagnostics] == [("good.py", "FLY210")]


def test_missing_and_non_python_files_are_skipped(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("hello")
    files = [tmp_path / "missing.py", tmp_path / "notes.txt", tmp_path / "good.py"]
    result = check_types(
        files, tmp_path, TypeCheckOptions(mypy_cache_dir=mypy_cache, stubs="always")
    )
    assert result.checked == 1
    assert [d.code for d in result.diagnostics] == ["FLY210"]


def test_mypy_crash_becomes_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mypy_cache: Path
) -> None:
    (tmp_path / "good.py").write_text(GOOD)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mypy_runner, "invoke_mypy", crash)
    result = check_types(
        [tmp_path / "good.py"],
        tmp_path,
        TypeCheckOptions(mypy_cache_dir=mypy_cache, stubs="always"),
    )
    (d,) = result.diagnostics
    assert d.code == "FLY219" and d.severity is Severity.WARNING
    assert d.message == "type checks skipped: mypy crashed (RuntimeError: boom)"
    assert d.path == "good.py"


def test_unusable_mypy_config_becomes_one_warning(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "mypy.ini").write_text("[mypy]\nplugins = no_such_plugin_module\n")
    options = TypeCheckOptions(
        mypy_cache_dir=mypy_cache, stubs="always", mypy_config=tmp_path / "mypy.ini"
    )
    result = check_types([tmp_path / "good.py"], tmp_path, options)
    assert [(d.code, d.severity) for d in result.diagnostics] == [("FLY219", Severity.WARNING)]
    assert result.diagnostics[0].message.startswith("type checks skipped: mypy")


def test_nothing_to_check(tmp_path: Path, mypy_cache: Path) -> None:
    result = check_types([], tmp_path)
    assert result.diagnostics == [] and not result.mypy_ran


def test_files_with_the_same_module_name_are_all_checked(tmp_path: Path, mypy_cache: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.py").write_text(GOOD)
    files = [tmp_path / "one" / "main.py", tmp_path / "two" / "main.py"]
    result = check_types(
        files,
        tmp_path,
        TypeCheckOptions(mypy_cache_dir=mypy_cache, stubs="always", show_other=True),
    )
    assert [(d.path, d.code) for d in result.diagnostics] == [
        ("one/main.py", "FLY210"),
        ("two/main.py", "FLY210"),
    ]
