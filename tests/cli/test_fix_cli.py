"""`flytec check --fix` and its companions end to end: --diff, --unsafe-fixes, --show-fixes,
--statistics, --exit-zero, --extend-select, the JSON and SARIF fixes, and bad input (a
read-only file, a file changed between check and write, a fix that would not parse)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.analyzer import fix as fixlib
from flytec.cli import cli
from flytec.config import Config
from tests.conftest import write_project

BUGGY = """\
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
def legacy(x: int) -> int:
    return x


@env.task
async def main(x: int) -> int:
    double(x=x)  # dropped
    y = legacy(x=x) + 1
    try:
        return await double(x=y)
    except ValueError:
        return 0
"""
SAFE_FIXED = BUGGY.replace("    double(x=x)  # dropped", "    await double(x=x)  # dropped") \
    .replace("y = legacy(x=x) + 1", "y = await legacy.aio(x=x) + 1")


def run(tmp_path: Path, *args: str) -> Result:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(cli, ["check", *args, "--no-cache"], catch_exceptions=False)
    finally:
        os.chdir(old)


def _project(tmp_path: Path, code: str = BUGGY) -> Path:
    write_project(tmp_path, {"flow.py": code})
    return tmp_path / "flow.py"


def test_fix_applies_safe_fixes_and_reports_what_remains(tmp_path: Path) -> None:
    f = _project(tmp_path)
    r = run(tmp_path, "flow.py", "--fix")
    assert f.read_text() == SAFE_FIXED
    assert "flytec: fixed 2 findings in 1 file; 1 remaining." in r.output
    assert "FLY108" in r.output and "FLY103" not in r.output.split("flytec: fixed")[0]
    assert r.exit_code == 1  # the FLY108 warning remains


def test_fix_with_nothing_left_exits_zero(tmp_path: Path) -> None:
    _project(tmp_path)
    r = run(tmp_path, "flow.py", "--fix", "--unsafe-fixes")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "flow.py").read_text()
    assert "import flyte.errors\n" in text
    assert "except flyte.errors.RuntimeUserError as e:" in text
    assert "fixed 3 findings in 1 file; 0 remaining." in r.output


def test_diff_prints_what_fix_writes_and_writes_nothing(tmp_path: Path) -> None:
    f = _project(tmp_path)
    r = run(tmp_path, "flow.py", "--diff")
    assert r.exit_code == 1
    assert f.read_text() == BUGGY  # nothing written
    assert r.output.startswith("--- a/flow.py\n+++ b/flow.py\n")
    assert "+    await double(x=x)  # dropped\n" in r.output
    assert "Would fix 2 findings in 1 file." in r.output
    # the diff is exactly what --fix then writes
    import difflib

    run(tmp_path, "flow.py", "--fix")
    expected = "".join(difflib.unified_diff(BUGGY.splitlines(True), f.read_text().splitlines(True),
                                            "a/flow.py", "b/flow.py"))
    assert r.output.split("Would fix")[0] == expected


def test_diff_without_fixes_exits_zero(tmp_path: Path) -> None:
    _project(tmp_path, "import flyte\n\nenv = flyte.TaskEnvironment(name='etl')\n")
    r = run(tmp_path, "flow.py", "--diff")
    assert r.exit_code == 0 and "Would fix 0 findings in 0 files." in r.output


def test_show_fixes_lists_fixable_and_fixed(tmp_path: Path) -> None:
    _project(tmp_path)
    r = run(tmp_path, "flow.py", "--show-fixes")
    assert "flow.py:18:5: FLY103 [safe] await `double(x=x)`" in r.output
    assert "FLY108 [unsafe]" in r.output
    assert "[*] 2 fixable with `flytec check --fix` (1 more with `--fix --unsafe-fixes`)." \
        in r.output
    r = run(tmp_path, "flow.py", "--fix", "--show-fixes")
    assert "  flow.py:18:5: FLY103 await `double(x=x)`" in r.output


def test_statistics(tmp_path: Path) -> None:
    _project(tmp_path)
    r = run(tmp_path, "flow.py", "--statistics")
    lines = r.output.splitlines()
    assert "    1  FLY103  [*] unawaited-task-call" in lines
    assert "    1  FLY108  [*] except-misses-task-error" in lines
    r = run(tmp_path, "flow.py", "--statistics", "--format", "json")
    rows = json.loads(r.output)
    assert {"code": "FLY104", "name": "sync-task-called-from-async", "count": 1,
            "fixable": True} in rows


def test_exit_zero_and_extend_select(tmp_path: Path) -> None:
    _project(tmp_path)
    assert run(tmp_path, "flow.py", "--exit-zero").exit_code == 0
    r = run(tmp_path, "flow.py", "--select", "FLY103", "--extend-select", "FLY104",
            "--format", "json")
    assert sorted(d["code"] for d in json.loads(r.output)["diagnostics"]) == [
        "FLY103", "FLY104"]
    assert run(tmp_path, "flow.py", "--extend-select", "X1").exit_code == 2


def test_json_and_sarif_carry_the_fixes(tmp_path: Path) -> None:
    _project(tmp_path)
    doc = json.loads(run(tmp_path, "flow.py", "--format", "json").output)
    by_code = {d["code"]: d for d in doc["diagnostics"]}
    assert by_code["FLY103"]["fix"] == {
        "message": "await `double(x=x)`",
        "safety": "safe",
        "edits": [{"content": "await ", "location": {"line": 18, "column": 5},
                   "end_location": {"line": 18, "column": 5}}],
    }
    assert by_code["FLY108"]["fix"]["safety"] == "unsafe"
    sarif = json.loads(run(tmp_path, "flow.py", "--format", "sarif").output)
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    (change,) = results["FLY104"]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "flow.py"
    assert {r["insertedContent"]["text"] for r in change["replacements"]} == {"await ", ".aio"}
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 19, "startColumn": 9, "endLine": 19, "endColumn": 9}


# ------------------------------------------------------------------------- bad input


def test_read_only_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    f = _project(tmp_path)
    f.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        r = run(tmp_path, "flow.py", "--fix")
    finally:
        f.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert "flytec: error: flow.py: read-only; not fixed" in r.output
    assert f.read_text() == BUGGY
    assert "Traceback" not in r.output and r.exit_code == 1


def test_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    f = _project(tmp_path)
    fixed = fixlib.fix_paths([f], Config(cache=False), cwd=tmp_path)
    f.write_text(BUGGY + "\n# edited meanwhile\n")
    errors = fixlib.write_fixes(fixed)
    assert [str(e) for e in errors] == [
        "flow.py: changed since flytec read it; not fixed (run flytec again)"]
    assert f.read_text().endswith("# edited meanwhile\n")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".flytec-fix")]


def test_write_is_atomic_and_keeps_the_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    f = _project(tmp_path)
    f.chmod(0o640)
    fixed = fixlib.fix_paths([f], Config(cache=False), cwd=tmp_path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixlib.os, "replace", broken_replace)
    (err,) = fixlib.write_fixes(fixed)
    assert "cannot write (No space left on device); not fixed" in str(err)
    assert f.read_text() == BUGGY  # never half-written
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".flytec-fix")]
    monkeypatch.undo()
    assert fixlib.write_fixes(fixed) == []
    assert f.read_text() == SAFE_FIXED and stat.S_IMODE(f.stat().st_mode) == 0o640


def test_a_fix_that_would_not_parse_is_dropped(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A fix whose result is a syntax error is reported with file:line and not applied;
    the other fixes of the file still are."""
    from flytec.model.fix import Edit, Fix

    f = _project(tmp_path)
    real = fixlib._fix_text

    def sabotage(data: bytes, diags: list, problems: list[str], dropped: set  # type: ignore[type-arg]
                 ) -> tuple[bytes, list]:  # type: ignore[type-arg]
        broken = [d if d.code != "FLY104" else _with_fix(d, Fix("x", (Edit(d.span, "(("),)))
                  for d in diags]
        return real(data, broken, problems, dropped)

    monkeypatch.setattr(fixlib, "_fix_text", sabotage)
    run_ = fixlib.fix_paths([f], Config(cache=False), cwd=tmp_path)
    assert run_.problems == [
        "flow.py:19:9: the FLY104 fix would leave a syntax error; not applied"]
    text = run_.changed()[0].fixed.decode()
    assert "await double(x=x)" in text and "legacy(x=x) + 1" in text


def _with_fix(d: object, fix: object) -> object:
    import dataclasses

    return dataclasses.replace(d, fix=fix)  # type: ignore[type-var]


def test_a_file_with_a_syntax_error_gets_no_fix(tmp_path: Path) -> None:
    f = _project(tmp_path, BUGGY + "def broken(:\n")
    r = run(tmp_path, "flow.py", "--fix")
    assert "FLY001" in r.output and f.read_text() == BUGGY + "def broken(:\n"
    assert "Traceback" not in r.output


def test_pre_commit_hook_is_declared() -> None:
    import yaml

    from tests.conftest import REPO

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["flytec-fix"]["entry"] == "flytec check --fix"


def test_diff_with_exit_zero(tmp_path: Path) -> None:
    _project(tmp_path)
    r = run(tmp_path, "flow.py", "--diff", "--exit-zero")
    assert r.exit_code == 0 and "+++ b/flow.py" in r.output


def test_rules_show_their_fixes() -> None:
    r = CliRunner().invoke(cli, ["rules"])
    lines = {line.split()[0]: line for line in r.output.splitlines()}
    assert " fix? " in lines["FLY103"] and " unsafe " in lines["FLY109"]
    assert " fix" not in lines["FLY101"] and " unsafe" not in lines["FLY101"]
    r = CliRunner().invoke(cli, ["rules", "FLY108"])
    assert "**Fix:** unsafe, sometimes" in r.output and "## Automatic fix" in r.output


def test_a_fix_that_keeps_its_finding_is_applied_once(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from flytec.analyzer.rules.structure import unawaited_task_call as rule
    from flytec.model.fix import Edit, Fix

    def useless(ctx: object, path: str, fn: object, s: object, sites: object) -> Fix:
        line = s.span.line  # type: ignore[attr-defined]
        return Fix("a comment", (Edit.insert(line, 1, "    # looked at\n"),))

    monkeypatch.setattr(rule, "_fix", useless)
    f = _project(tmp_path)
    run_ = fixlib.fix_paths([f], Config(cache=False), cwd=tmp_path)
    text = run_.changed()[0].fixed.decode()
    assert text.count("# looked at") == 1
    assert run_.problems == [
        "flow.py: the FLY103 fix `a comment` did not remove its finding; applied once, not again"]
