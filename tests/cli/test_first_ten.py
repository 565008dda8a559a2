"""What a new user meets in the first ten minutes (issue 23): rule-code typos, paths relative
to the project whatever the working directory, output-file errors, skipped files, colour,
progress and the cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flytec.cli import cli
from tests.conftest import write_project

BUGGY = """
import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def double(x: int) -> int:
    return x * 2


@env.task
async def main(x: int) -> int:
    double(x=x){comment}
    return x
"""


def buggy(comment: str = "") -> str:
    return BUGGY.replace("{comment}", comment)


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke the CLI in-process with ``cwd`` as the working directory."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def codes(r: Result) -> list[str]:
    return [d["code"] for d in json.loads(r.stdout)["diagnostics"]]


# ---------------------------------------------------------------- 4: rule codes


@pytest.mark.parametrize("flag", ["--select", "--ignore"])
def test_unknown_code_on_the_command_line_is_exit_two_with_the_closest(
    tmp_path: Path, flag: str
) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    r = run(tmp_path, "check", "flow.py", "--no-cache", flag, "FLY103,FLY1O3")
    assert r.exit_code == 2, r.output
    assert "All checks passed" not in r.output
    assert f"{flag}: unknown rule selector `FLY1O3` (did you mean `FLY103`?)" in r.stderr


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('select = ["FLY999"]', "`select`: unknown rule selector `FLY999`"),
        ('ignore = ["FLY13"]', "`ignore`: unknown rule selector `FLY13` (did you mean `FLY10`?)"),
        ('per-file-ignores = { "sub/*" = ["FLY130"] }',
         '`per-file-ignores` ("sub/*"): unknown rule selector `FLY130` (did you mean `FLY103`?)'),
        ('severity = { FLY301x = "info" }', "`severity`: unknown rule selector `FLY301X`"),
    ],
)
def test_unknown_code_in_the_config_is_exit_two(tmp_path: Path, table: str, needle: str) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'x'\n[tool.flytec]\n{table}\n")
    r = run(tmp_path, "check", "flow.py", "--no-cache")
    assert r.exit_code == 2, r.output
    assert needle.replace("FLY301X", "FLY301x") in r.stderr
    assert "pyproject.toml" in r.stderr


def test_prefixes_and_the_bare_family_are_valid_selectors(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    for sel in ("FLY", "FLY1", "FLY10", "FLY103"):
        r = run(tmp_path, "check", "flow.py", "--no-cache", "--select", sel)
        assert r.exit_code == 1, (sel, r.output)


@pytest.mark.parametrize("value", ["error", "warning", "info", "never"])
def test_fail_on_takes_the_same_values_in_config_and_flag(tmp_path: Path, value: str) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    flag = run(tmp_path, "check", "flow.py", "--no-cache", "--fail-on", value)
    (tmp_path / "pyproject.toml").write_text(
        f"[project]\nname = 'x'\n[tool.flytec]\nfail-on = \"{value}\"\n"
    )
    config = run(tmp_path, "check", "flow.py", "--no-cache")
    assert flag.exit_code == config.exit_code == (0 if value == "never" else 1), config.output


def test_typo_in_noqa_is_reported_with_the_closest_code(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy("  # noqa: FLY130")})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json")
    doc = json.loads(r.stdout)["diagnostics"]
    assert sorted(d["code"] for d in doc) == ["FLY006", "FLY103"]
    (d,) = [d for d in doc if d["code"] == "FLY006"]
    assert d["severity"] == "warning" and d["line"] == 14 and d["column"] == 18
    assert "`FLY130` is not a flytec rule code" in d["message"]
    assert d["help"] == "did you mean `FLY103`?"


def test_unused_suppression_is_an_info_and_a_used_one_is_not(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy("  # flytec: ignore[FLY103, FLY104]")})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json")
    (d,) = json.loads(r.stdout)["diagnostics"]
    assert (d["code"], d["severity"]) == ("FLY006", "info")
    assert "no FLY104" in d["message"] and "FLY103" not in d["message"]
    assert r.exit_code == 0  # an info does not fail the default threshold


def test_unused_is_not_judged_for_rules_that_did_not_run(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy("  # noqa: FLY103, FLY301")})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json", "--ignore", "FLY301")
    assert codes(r) == []
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json")
    assert codes(r) == ["FLY006"]
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json", "--ignore", "FLY006")
    assert codes(r) == []


def test_unused_file_wide_suppression(tmp_path: Path) -> None:
    code = "# flytec: ignore-file[FLY103, FLY402]\n" + buggy()
    write_project(tmp_path, {"flow.py": code})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json")
    (d,) = json.loads(r.stdout)["diagnostics"]
    assert d["code"] == "FLY006" and d["line"] == 1 and "no FLY402" in d["message"]
    assert "in this file" in d["message"]


def test_suppression_text_in_a_string_is_not_a_comment(tmp_path: Path) -> None:
    doc = 'DOC = """write `# noqa: FLY130`"""\n'
    code = buggy().replace("import flyte\n", "import flyte\n\n" + doc, 1)
    write_project(tmp_path, {"flow.py": code})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "json")
    assert codes(r) == ["FLY103"]


def test_unused_noqa_survives_the_warm_cache(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy("  # noqa: FLY130")})
    cold = run(tmp_path, "check", "flow.py", "-f", "json")
    warm = run(tmp_path, "check", "flow.py", "-f", "json")
    assert codes(cold) == codes(warm) == ["FLY103", "FLY006"]


# ------------------------------------------- 5: patterns relative to the project root


def _two_folders(root: Path, table: str) -> None:
    write_project(root, {"sub/flow.py": buggy(), "other/flow.py": buggy()})
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n[tool.flytec]\n{table}\n")


def _reported(r: Result, root: Path, cwd: Path) -> list[str]:
    """Project-relative paths of the files with findings."""
    assert r.exit_code in (0, 1), r.output
    out = []
    for d in json.loads(r.stdout)["diagnostics"]:
        out.append((cwd / d["path"]).resolve().relative_to(root.resolve()).as_posix())
    return sorted(set(out))


@pytest.mark.parametrize("where", ["root", "sub", "outside"])
def test_per_file_ignores_match_root_relative_paths_from_any_cwd(
    tmp_path: Path, where: str
) -> None:
    root = tmp_path / "proj"
    _two_folders(root, 'per-file-ignores = { "sub/*" = ["FLY1"] }')
    cwd = {"root": root, "sub": root / "sub", "outside": tmp_path}[where]
    args = [os.path.relpath(root / "sub", cwd), os.path.relpath(root / "other", cwd)]
    r = run(cwd, "check", *args, "--no-cache", "-f", "json")
    assert _reported(r, root, cwd) == ["other/flow.py"]


@pytest.mark.parametrize("where", ["root", "sub", "outside"])
def test_exclude_matches_root_relative_paths_from_any_cwd(tmp_path: Path, where: str) -> None:
    root = tmp_path / "proj"
    _two_folders(root, 'exclude = ["sub/*.py"]')
    cwd = {"root": root, "sub": root / "sub", "outside": tmp_path}[where]
    args = [os.path.relpath(root / "sub", cwd), os.path.relpath(root / "other", cwd)]
    r = run(cwd, "check", *args, "--no-cache", "-f", "json")
    assert _reported(r, root, cwd) == ["other/flow.py"]


def test_per_file_ignores_pattern_without_a_slash_matches_the_name(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    _two_folders(root, 'per-file-ignores = { "flow.py" = ["FLY103"] }')
    r = run(root / "sub", "check", "..", "--no-cache", "-f", "json")
    assert _reported(r, root, root / "sub") == []


# ----------------------------------------------------------- 6: the output file


@pytest.mark.parametrize("target", ["missing/dir/out.txt", "."])
def test_unwritable_output_file_is_exit_two_with_a_message(tmp_path: Path, target: str) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-o", target)
    assert r.exit_code == 2, r.output
    (line,) = [ln for ln in r.stderr.splitlines() if ln.startswith("flytec: error: ")]
    assert line.startswith(f"flytec: error: {target}: ")
    assert "Traceback" not in r.output


def test_output_file_is_written(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-o", "out.txt")
    assert r.exit_code == 1 and r.stdout == ""
    assert "FLY103" in (tmp_path / "out.txt").read_text()


# ------------------------------------------------------- 7: explicit skipped files


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("util.py", "def f() -> int:\n    return 1\n", "no Flyte code"),
        ("broken.py", "def f(:\n", "no Flyte code"),
        ("readme.txt", "How to use flyte here.\n", "not a Python file"),
    ],
)
def test_explicit_file_that_is_not_analysed_is_reported_as_skipped(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    write_project(tmp_path, {name: content})
    r = run(tmp_path, "check", name, "--no-cache")
    assert r.exit_code == 0, r.output
    assert "passed" not in r.stdout
    lines = r.stdout.splitlines()
    assert any(ln.startswith(f"{name}: skipped ({reason}") for ln in lines), r.stdout
    assert lines[-1] == "Nothing checked: 1 file skipped."
    concise = run(tmp_path, "check", name, "--no-cache", "-f", "concise")
    assert concise.stdout.splitlines()[-1] == "Found 0 findings in 0 files (1 skipped)."


def test_skipped_files_are_counted_apart_from_checked_ones(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy().replace("double(x=x)", "await double(x=x)"),
                             "util.py": "X = 1\n"})
    r = run(tmp_path, "check", "flow.py", "util.py", "--no-cache")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[-1] == "All checks passed (1 file, 1 skipped)."
    # a directory's non-Flyte files are skipped quietly, as before
    r = run(tmp_path, "check", ".", "--no-cache")
    assert r.stdout.splitlines() == ["All checks passed (2 files)."]


# ------------------------------------------------------------- 10: colour, plurals

ESC = "\x1b["


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ([], {}, False),  # CliRunner's stdout is not a terminal
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag wins
        ([], {"FORCE_COLOR": "1"}, True),  # forced when piped (force-color.org)
        ([], {"FORCE_COLOR": ""}, False),  # empty: not set
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_flag_and_environment(
    tmp_path: Path, args: list[str], env: dict[str, str], colored: bool
) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    full = {"NO_COLOR": "", "FORCE_COLOR": "", **env}
    r = run(tmp_path, "check", "flow.py", "--no-cache", *args, env=full)
    assert r.exit_code == 1
    assert (ESC in r.stdout) is colored


def test_no_color_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from flytec.cli.output import use_color

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", to_terminal=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", to_terminal=True)
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color("auto", to_terminal=True)


def test_concise_summary_plurals(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    r = run(tmp_path, "check", "flow.py", "--no-cache", "-f", "concise")
    assert r.stdout.splitlines()[-1] == "Found 1 finding in 1 file."


# -------------------------------------------------------------- 9: progress, --quiet


def _check_with_terminal_stderr(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Run ``flytec check`` as a subprocess whose standard error is a pseudo-terminal and
    whose standard output is a pipe: (exit code, stdout, what the terminal received)."""
    import pty
    import subprocess
    import sys

    from tests.conftest import REPO

    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "FLYTEC_PROGRESS_DELAY": "0",
           "NO_COLOR": "", "FORCE_COLOR": ""}
    proc = subprocess.Popen([sys.executable, "-m", "flytec", "check", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode() if proc.stdout else ""
    proc.wait()
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode(errors="replace")


def test_progress_on_a_terminal_goes_to_stderr_and_not_into_the_report(tmp_path: Path) -> None:
    write_project(tmp_path, {f"m{i}.py": buggy() for i in range(3)})
    code, out, tty = _check_with_terminal_stderr(tmp_path, ".", "--no-cache", "-f", "concise")
    assert code == 1
    assert "flytec: " in tty  # the stage ("parsing", "checking") was drawn
    assert "\x1b[" not in out and out.splitlines()[-1] == "Found 3 findings in 3 files."


def test_quiet_turns_progress_and_the_clean_summary_off(tmp_path: Path) -> None:
    write_project(tmp_path, {"flow.py": buggy().replace("double(x=x)", "await double(x=x)")})
    code, out, tty = _check_with_terminal_stderr(tmp_path, ".", "--no-cache", "-q")
    assert (code, out) == (0, "") and "flytec" not in tty and "\x1b[" not in tty
    r = run(tmp_path, "check", ".", "--no-cache", "--quiet")
    assert (r.exit_code, r.stdout) == (0, "")
    write_project(tmp_path, {"flow.py": buggy()})
    r = run(tmp_path, "check", ".", "--no-cache", "-q")
    assert r.exit_code == 1 and "FLY103" in r.stdout  # findings are still printed


def test_no_progress_when_stderr_is_piped(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import REPO

    write_project(tmp_path, {"flow.py": buggy()})
    env = {**os.environ, "PYTHONPATH": str(REPO), "FLYTEC_PROGRESS_DELAY": "0"}
    p = subprocess.run([sys.executable, "-m", "flytec", "check", ".", "--no-cache"],
                       cwd=tmp_path, capture_output=True, text=True, env=env)
    assert p.returncode == 1
    own = [ln for ln in p.stderr.splitlines() if "fixable with `flytec check --fix`" not in ln]
    assert not any("flytec" in ln for ln in own)  # (only start-up noise, if any; no progress)
    assert "\x1b[" not in p.stderr


# ------------------------------------------------------------------------ 8: the cache


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.parametrize("types", [False, True], ids=["plain", "types"])
def test_no_cache_writes_nothing(tmp_path: Path, types: bool) -> None:
    write_project(tmp_path, {"flow.py": buggy()})
    before = _tree(tmp_path)
    args = ["check", "flow.py", "--no-cache", "-f", "json"] + (["--types"] if types else [])
    r = run(tmp_path, *args)
    assert r.exit_code == 1 and "FLY103" in codes(r)
    assert _tree(tmp_path) == before


def test_cache_folder_ignores_itself_and_carries_a_cachedir_tag(tmp_path: Path) -> None:
    import subprocess

    write_project(tmp_path, {"flow.py": buggy()})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    r = run(tmp_path, "check", "flow.py")
    assert r.exit_code == 1
    cache = tmp_path / ".flytec_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55"
    )
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert ".flytec_cache" not in status and "flow.py" in status


def test_cache_dir_setting_and_environment(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_project(proj, {"flow.py": buggy()})
    with open(proj / "pyproject.toml", "a") as f:
        f.write('[tool.flytec]\ncache-dir = "../elsewhere"\n')
    r = run(proj, "check", "flow.py")
    assert r.exit_code == 1
    assert not (proj / ".flytec_cache").exists()
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file()
    assert any((tmp_path / "elsewhere" / "results").iterdir())
    r = run(proj, "check", "flow.py", env={"FLYTEC_CACHE_DIR": str(tmp_path / "ci-cache")})
    assert r.exit_code == 1
    assert any((tmp_path / "ci-cache" / "results").iterdir())
    assert not (proj / ".flytec_cache").exists()


def test_read_only_project_with_cache_elsewhere(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_project(proj, {"flow.py": buggy()})
    before = _tree(proj)
    proj.chmod(0o555)
    try:
        r = run(proj, "check", "flow.py", "-f", "json",
                env={"FLYTEC_CACHE_DIR": str(tmp_path / "cache")})
    finally:
        proj.chmod(0o755)
    assert codes(r) == ["FLY103"]
    assert _tree(proj) == before
