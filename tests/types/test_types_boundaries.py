"""Each FLY210-FLY218 fires exactly where the fixtures say, with flytec's stubs and with the
real flyte, and nowhere in correct code."""

from __future__ import annotations

from pathlib import Path

from types_helpers import boundary_findings, expectations

from flytec.analyzer.types import TypeCheckResult
from flytec.model.diagnostic import Category, Diagnostic, Severity


def test_stubs_report_exactly_the_expected_findings(
    stub_project: tuple[Path, TypeCheckResult],
) -> None:
    root, result = stub_project
    assert result.stubs is True
    assert boundary_findings(result) == expectations(root, "stubs")


def test_real_flyte_reports_exactly_the_expected_findings(
    real_project: tuple[Path, TypeCheckResult],
) -> None:
    root, result = real_project
    assert result.stubs is False
    assert boundary_findings(result) == expectations(root, "real")


def test_every_boundary_code_is_exercised(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    codes = {d.code for d in result.diagnostics}
    assert {f"FLY2{n}" for n in range(10, 19)} <= codes


def test_correct_code_has_no_diagnostic_at_all(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    assert [d for d in result.diagnostics if d.path == "api_ok.py"] == []
    assert [d for d in result.diagnostics if d.path == "pkg/tasks.py"] == []


def test_diagnostics_are_type_category_errors(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    for d in result.diagnostics:
        assert d.category is Category.TYPE
        assert d.severity is (Severity.INFO if d.code == "FLY219" else Severity.ERROR)
        assert d.chain and d.chain[0].startswith("mypy: ")


def _line(root: Path, path: str, text: str) -> int:
    """The number of the one line of a fixture that contains ``text``."""
    lines = (root / path).read_text().splitlines()
    (number,) = [i for i, line in enumerate(lines, start=1) if text in line]
    return number


def _message(result: tuple[Path, TypeCheckResult], path: str, text: str) -> str:
    root, checked = result
    line = _line(root, path, text)
    found = [d for d in checked.diagnostics if d.path == path and d.span.line == line]
    assert len(found) == 1, found
    return found[0].message


def test_messages_speak_of_tasks_not_call_overloads(
    stub_project: tuple[Path, TypeCheckResult],
) -> None:
    project = stub_project
    assert _message(project, "calls.py", 'add(1, "2")') == (
        "argument `y` of task `typed.add` expects int, got str"
    )
    assert _message(project, "calls.py", "hieght=256") == (
        "task `typed.resize` has no parameter `hieght`"
    )
    assert _message(project, "calls.py", 'resize(image_id="img")') == (
        "task `typed.resize` is called without its required argument `width`"
    )
    assert _message(project, "calls.py", "add(1, 2, 3)") == (
        "task `typed.add` takes 2 positional arguments, got 3"
    )
    assert _message(project, "results.py", "low, high = await stats") == (
        "task `results.stats` has 3 outputs (float, float, int), unpacked into 2 names"
    )
    assert _message(project, "awaits.py", 'y = await checksum("x")').startswith(
        "task `awaits.checksum` is synchronous"
    )
    assert _message(project, "maps.py", 'flyte.map.aio(square, ["1", "2"])') == (
        "flyte.map passes elements of type str to parameter `x` of task `maps.square`, "
        "which expects int"
    )
    assert _message(project, "pkg/flow.py", "a = await scale(text)") == (
        "argument `value` of task `pkg_tasks.scale` expects float, got str"
    )
    for d in project[1].diagnostics:
        if d.code != "FLY219":
            assert "__call__" not in d.message and "AsyncTask" not in d.message


def test_real_flyte_overload_messages_are_reworded_too(
    real_project: tuple[Path, TypeCheckResult],
) -> None:
    assert _message(real_project, "calls.py", 'add(1, "2")') == (
        "argument `y` of task `typed.add` expects int, got str"
    )
    assert _message(real_project, "calls.py", "h = await add()") == (
        "task `typed.add` is called without its required arguments `x`, `y`"
    )


def _at(project: tuple[Path, TypeCheckResult], path: str, text: str) -> Diagnostic:
    root, result = project
    line = _line(root, path, text)
    (found,) = [d for d in result.diagnostics if d.path == path and d.span.line == line]
    return found


def test_help_names_the_fix(stub_project: tuple[Path, TypeCheckResult]) -> None:
    assert "did you mean `height`?" in _at(stub_project, "calls.py", "hieght=256").help
    awaited = _at(stub_project, "awaits.py", 'y = await checksum("x")')
    assert "await checksum.aio(...)" in awaited.help
    assert _at(stub_project, "calls.py", 'add(1, "2")').task == "typed.add"


def test_span_points_at_the_argument(stub_project: tuple[Path, TypeCheckResult]) -> None:
    root, _ = stub_project
    d = _at(stub_project, "calls.py", 'add(1, "2")')
    line = (root / "calls.py").read_text().splitlines()[d.span.line - 1]
    assert line[d.span.column - 1 : d.span.end_column - 1] == '"2"'
