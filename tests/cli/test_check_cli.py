"""`flytec check` end to end: exit codes, formats, bad input, config, suppression."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.cli import cli
from tests.conftest import write_project

CLEAN = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x: int) -> int:
    return x * 2
"""
BUGGY = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def main(x: int) -> int:
    double(x=x)
    return x
"""


def run(tmp_path: Path, *args: str) -> Result:
    """Invoke the CLI in-process with ``tmp_path`` as the working directory."""
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": CLEAN})
    r = run(tmp_path, "check", "flow.py", "--no-cache")
    assert r.exit_code == 0, r.output
    assert "All checks passed (1 file)." in r.output


def test_findings_exit_one_with_text_caret(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY})
    r = run(tmp_path, "check", "flow.py", "--no-cache")
    assert r.exit_code == 1
    assert "flow.py:14:5: FLY103 error:" in r.output
    assert "14 |     double(x=x)" in r.output
    assert "   |     ^^^^^^^^^^^" in r.output
    assert "= help: await it" in r.output


def test_json_contract(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY, "ok.py": CLEAN})
    r = run(tmp_path, "check", ".", "--format", "json", "--no-cache")
    doc = json.loads(r.output)  # exactly one JSON object
    assert set(doc) == {"diagnostics", "summary"}
    assert doc["summary"] == {"files": 2, "errors": 1, "warnings": 0, "infos": 0}
    (d,) = doc["diagnostics"]
    assert set(d) == {
        "code", "name", "category", "severity", "path", "cell", "line", "column", "end_line",
        "end_column", "message", "help", "task", "fix",
    }
    assert d["cell"] is None  # a notebook's cell (tests/notebooks)
    assert d["code"] == "FLY103" and d["name"] == "unawaited-task-call"
    assert d["category"] == "structure" and d["severity"] == "error"
    assert (d["path"], d["line"], d["column"], d["end_line"], d["end_column"]) == (
        "flow.py", 14, 5, 14, 16)
    assert d["task"] == "etl.main"


def test_sarif_is_valid_for_code_scanning(tmp_path: Path) -> None:
    write_project(tmp_path, {"src/flow.py": BUGGY})
    r = run(tmp_path, "check", "src", "--format", "sarif", "--no-cache")
    doc = json.loads(r.output)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    assert all(rule["help"]["text"] and rule["helpUri"] for rule in rules)
    (res,) = run0["results"]
    assert res["ruleId"] == "FLY103" and res["level"] == "error"
    assert rules[res["ruleIndex"]]["id"] == "FLY103"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src/flow.py"
    assert loc["region"]["startLine"] == 14
    assert res["partialFingerprints"]["flytec/v1"]


def test_sarif_fingerprint_survives_moved_lines(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY})
    a = json.loads(run(tmp_path, "check", "flow.py", "-f", "sarif", "--no-cache").output)
    write_project(tmp_path, {"flow.py": "\n\n# moved\n" + BUGGY})
    b = json.loads(run(tmp_path, "check", "flow.py", "-f", "sarif", "--no-cache").output)
    fa = a["runs"][0]["results"][0]["partialFingerprints"]
    fb = b["runs"][0]["results"][0]["partialFingerprints"]
    assert fa == fb


def test_github_annotations(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY})
    r = run(tmp_path, "check", "flow.py", "--format", "github", "--no-cache")
    line = r.output.strip().splitlines()[0]
    assert line.startswith("::error file=flow.py,line=14,col=5,endLine=14,endColumn=16,")
    assert "title=FLY103 unawaited-task-call::" in line


def test_concise(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY})
    r = run(tmp_path, "check", "flow.py", "--format", "concise", "--no-cache")
    assert r.output.splitlines()[0].startswith("flow.py:14:5: FLY103 [error] ")


def test_syntax_error_is_reported_and_other_files_still_checked(tmp_path: Path) -> None:
    write_project(tmp_path, {"broken.py": "import flyte\n\ndef f(:\n    pass\n",
                             "flow.py": BUGGY})
    r = run(tmp_path, "check", ".", "-f", "concise", "--no-cache")
    assert "broken.py:3:7: FLY001 [error] syntax error" in r.output
    assert "flow.py:14:5: FLY103" in r.output
    assert "Traceback" not in r.output


def test_not_utf8_file(tmp_path: Path) -> None:
    write_project(tmp_path, {"latin.py": "import flyte\n# caf\udce9\n"})
    r = run(tmp_path, "check", "latin.py", "-f", "concise", "--no-cache")
    assert r.exit_code == 1
    assert "latin.py:2:1: FLY002 [error] file is not valid utf-8" in r.output


def test_empty_file_is_an_info(tmp_path: Path) -> None:
    write_project(tmp_path, {"empty.py": ""})
    r = run(tmp_path, "check", "empty.py", "-f", "concise", "--no-cache")
    assert r.exit_code == 0
    assert "empty.py:1:1: FLY003 [info] file is empty" in r.output


def test_deeply_nested_code_is_reported_not_crashed(tmp_path: Path) -> None:
    src = "import flyte\nx = " + "+".join(["1"] * 3000) + "\n"
    write_project(tmp_path, {"deep.py": src})
    r = run(tmp_path, "check", "deep.py", "-f", "concise", "--no-cache")
    assert "FLY004 [error] file too large to analyse: code nested too deeply" in r.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    r = run(tmp_path, "check", "nope.py")
    assert r.exit_code == 2
    assert "nope.py: no such file or directory" in r.output


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--format", "xml"], "Invalid value for '-f' / '--format'"),
        (["--select", "E501"], "`E501` is not a flytec rule code"),
        (["--fail-on", "sometimes"], "Invalid value for '--fail-on'"),
    ],
)
def test_bad_arguments_exit_two(tmp_path: Path, args: list[str], needle: str) -> None:
    write_project(tmp_path, {"flow.py": CLEAN})
    r = run(tmp_path, "check", "flow.py", *args)
    assert r.exit_code == 2
    assert needle in r.output


def test_unknown_config_key_exits_two(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": CLEAN})
    (tmp_path / "pyproject.toml").write_text("[tool.flytec]\nselekt = ['FLY1']\n")
    r = run(tmp_path, "check", "flow.py")
    assert r.exit_code == 2
    assert "unknown key `selekt` in [tool.flytec]" in r.output


def test_config_select_ignore_severity_and_fail_on(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY})
    py = tmp_path / "pyproject.toml"
    py.write_text('[tool.flytec]\nseverity = { FLY103 = "info" }\n')
    r = run(tmp_path, "check", "flow.py", "-f", "concise", "--no-cache")
    assert "FLY103 [info]" in r.output and r.exit_code == 0
    py.write_text('[tool.flytec]\nfail-on = "info"\nseverity = { FLY103 = "info" }\n')
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 1
    py.write_text('[tool.flytec]\nignore = ["FLY1"]\n')
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 0
    py.write_text('[tool.flytec]\nper-file-ignores = { "flow.py" = ["FLY103"] }\n')
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 0
    py.write_text('[tool.flytec]\nselect = ["FLY6"]\n')
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 0
    # flags override the file
    r = run(tmp_path, "check", "flow.py", "--select", "FLY103", "--no-cache")
    assert r.exit_code == 1


@pytest.mark.parametrize(
    "comment",
    ["# flytec: ignore[FLY103]", "# noqa: FLY103", "# noqa", "# flytec: ignore"],
)
def test_line_suppressions(tmp_path: Path, comment: str) -> None:
    src = BUGGY.replace("double(x=x)\n", f"double(x=x)  {comment}\n")
    write_project(tmp_path, {"flow.py": src})
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 0


def test_noqa_for_other_tools_does_not_suppress(tmp_path: Path) -> None:
    src = BUGGY.replace("double(x=x)\n", "double(x=x)  # noqa: E501\n")
    write_project(tmp_path, {"flow.py": src})
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 1


def test_file_suppression(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": "# flytec: ignore-file[FLY103]\n" + BUGGY})
    assert run(tmp_path, "check", "flow.py", "--no-cache").exit_code == 0


def test_crashing_rule_is_reported_and_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flytec.analyzer.rules.deploy.environment_name import InvalidEnvironmentName

    def boom(self: object, ctx: object) -> object:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(InvalidEnvironmentName, "check", boom)
    write_project(tmp_path, {"flow.py": BUGGY})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        r = CliRunner().invoke(cli, ["check", "flow.py", "-f", "concise", "--no-cache"])
    finally:
        os.chdir(old)
    assert "FLY103" in r.stdout
    assert "internal error in FLY601 (invalid-environment-name): RuntimeError: kaboom" in r.stderr
    assert r.exit_code == 1


def test_results_do_not_depend_on_how_files_are_split(tmp_path: Path) -> None:
    files = {
        "envs.py": "import flyte\nworker = flyte.TaskEnvironment(name='w')\n"
        "driver = flyte.TaskEnvironment(name='d')\n",
        "tasks.py": "from envs import worker\n\n@worker.task\nasync def t(x: int) -> int:\n"
        "    return x\n",
        "flow.py": "from envs import driver\nfrom tasks import t\n\n@driver.task\n"
        "async def main(x: int) -> int:\n    t(x=x)\n    return await t(x=x)\n",
    }
    write_project(tmp_path, files)

    def diags(*paths: str) -> list[dict[str, object]]:
        r = run(tmp_path, "check", *paths, "-f", "json", "--no-cache")
        return list(json.loads(r.output)["diagnostics"])

    together = diags("envs.py", "tasks.py", "flow.py")
    apart = diags("envs.py") + diags("tasks.py") + diags("flow.py")
    assert together == apart
    assert {d["code"] for d in together} == {"FLY103", "FLY604"}


def test_cache_gives_identical_results(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": BUGGY})
    first = run(tmp_path, "check", "flow.py", "-f", "json").output
    assert (tmp_path / ".flytec_cache").is_dir()
    second = run(tmp_path, "check", "flow.py", "-f", "json").output
    assert first == second


def test_version(tmp_path: Path) -> None:
    r = run(tmp_path, "--version")
    assert r.exit_code == 0 and "flytec, version" in r.output


def test_huge_file_is_reported_not_parsed(tmp_path: Path) -> None:
    from flytec.compiler.frontend.hashing import MAX_BYTES

    big = "import flyte\n" + "x = 1\n" * (MAX_BYTES // 6 + 10)
    write_project(tmp_path, {"big.py": big, "flow.py": BUGGY})
    r = run(tmp_path, "check", ".", "-f", "concise", "--no-cache")
    assert ("big.py:1:1: FLY004 [error] file too large to analyse: 5.0 MiB, over flytec's"
            " 5 MiB limit per file") in r.output
    assert "flow.py:14:5: FLY103" in r.output
