"""Each FLY210-FLY218 fires exactly where the fixtures say, with flytec's stubs and with the
real flyte, and nowhere in correct code."""

from __future__ import annotations

from pathlib import Path

from types_helpers import boundary_findings, expectations

from flytec.analyzer.types import TypeCheckResult
from flytec.model.diagnostic import Category, Severity


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


def _message(result: TypeCheckResult, path: str, line: int) -> str:
    found = [d for d in result.diagnostics if d.path == path and d.span.line == line]
    assert len(found) == 1, found
    return found[0].message


def test_messages_speak_of_tasks_not_call_overloads(
    stub_project: tuple[Path, TypeCheckResult],
) -> None:
    _, result = stub_project
    assert _message(result, "calls.py", 34) == (
        "argument `y` of task `typed.add` expects int, got str"
    )
    assert _message(result, "calls.py", 36) == "task `typed.resize` has no parameter `hieght`"
    assert _message(result, "calls.py", 37) == (
        "task `typed.resize` is called without its required argument `width`"
    )
    assert (
        _message(result, "calls.py", 38) == "task `typed.add` takes 2 positional arguments, got 3"
    )
    assert _message(result, "results.py", 38) == (
        "task `results.stats` has 3 outputs (float, float, int), unpacked into 2 names"
    )
    assert _message(result, "awaits.py", 39).startswith("task `awaits.checksum` is synchronous")
    assert _message(result, "maps.py", 36) == (
        "flyte.map passes elements of type str to parameter `x` of task `maps.square`, "
        "which expects int"
    )
    assert _message(result, "pkg/flow.py", 17) == (
        "argument `value` of task `pkg_tasks.scale` expects float, got str"
    )
    for d in result.diagnostics:
        if d.code != "FLY219":
            assert "__call__" not in d.message and "AsyncTask" not in d.message


def test_real_flyte_overload_messages_are_reworded_too(
    real_project: tuple[Path, TypeCheckResult],
) -> None:
    _, result = real_project
    assert _message(result, "calls.py", 34) == (
        "argument `y` of task `typed.add` expects int, got str"
    )
    assert _message(result, "calls.py", 41) == (
        "task `typed.add` is called without its required arguments `x`, `y`"
    )


def test_help_names_the_fix(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    by_line = {(d.path, d.span.line): d for d in result.diagnostics}
    assert "did you mean `height`?" in by_line[("calls.py", 36)].help
    assert "await checksum.aio(...)" in by_line[("awaits.py", 39)].help
    assert by_line[("calls.py", 34)].task == "typed.add"


def test_span_points_at_the_argument(stub_project: tuple[Path, TypeCheckResult]) -> None:
    root, result = stub_project
    (d,) = [d for d in result.diagnostics if d.path == "calls.py" and d.span.line == 34]
    line = (root / "calls.py").read_text().splitlines()[33]
    assert line[d.span.column - 1 : d.span.end_column - 1] == '"2"'
