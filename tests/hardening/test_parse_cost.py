"""Bounded parse cost: files that would take libcst gigabytes are FLY004, not parsed.

Issue 20 item 6: a 2 MB single line ``x = [1, 1, ...]`` of 1M elements took 40 s and 4.7 GB;
the 5 MiB size guard did not catch it. What costs is tokens, so the guard counts them.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from flytec.analyzer.check import check_paths
from flytec.codegen.report import Report
from flytec.codegen.report.text import render_text
from flytec.compiler.frontend import guard
from flytec.compiler.frontend.parse import parse_bytes
from flytec.config import Config
from tests.conftest import write_project

# just over the limit (a 1M-element line is the case; this one is cheaper to build
# and, before the guard, was parsed: about 700 MB and 5 s in libcst)
N = guard.MAX_TOKENS // 2 + 1_000
LIST_LINE = "x = [" + ", ".join(["1"] * N) + "]\n"


def test_one_long_line_of_many_tokens_is_too_large(tmp_path: Path) -> None:
    paths = write_project(tmp_path, {"data.py": "import flyte\n" + LIST_LINE})
    result = check_paths(paths, Config(cache=False), cwd=tmp_path)
    [d] = result.diagnostics
    assert (d.code, d.name, d.severity.value) == ("FLY004", "file-too-large", "error")
    assert d.span.line == 2 and d.span.column > 1  # where the limit was crossed
    assert "file too large to analyse" in d.message
    assert f"{guard.MAX_TOKENS:,} tokens" in d.message  # which limit
    assert 'exclude = ["data.py"]' in d.message  # how to skip the file
    assert "syntax" not in d.message


def test_many_short_lines_count_the_same(tmp_path: Path) -> None:
    code = "import flyte\n" + "x = 1\n" * (guard.MAX_TOKENS // 3)
    ir = parse_bytes(code.encode(), "many.py", "many", False)
    [p] = ir.problems
    assert p.kind == "too-large" and p.span.line > 1
    assert ir.body == []


def test_a_long_string_or_comment_is_one_token() -> None:
    # cheap to parse whatever its length: not refused
    big = "x = '" + "a" * 3_000_000 + "'  # " + "b" * 1_000_000 + "\n"
    assert guard.check_cost(big, "s.py") is None
    fstr = "x = f'" + "{a}" * (guard.MAX_TOKENS // 2) + "'\n"  # f-strings count their parts
    assert guard.check_cost(fstr, "f.py") is not None


def _largest_stdlib_files(n: int) -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = [p for p in root.rglob("*.py") if "site-packages" not in p.parts]
    return sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:n]


@pytest.mark.parametrize("path", _largest_stdlib_files(8), ids=lambda p: p.name)
def test_real_large_files_are_not_refused(path: Path) -> None:
    source = path.read_text(encoding="utf-8", errors="replace")
    assert guard.check_cost(source, str(path)) is None


def test_the_file_can_be_excluded(tmp_path: Path) -> None:
    write_project(tmp_path, {"data.py": "import flyte\n" + LIST_LINE, "ok.py": "import flyte\n"})
    config = Config(cache=False)
    assert [d.code for d in check_paths([tmp_path], config, cwd=tmp_path).diagnostics] == [
        "FLY004"]
    config.exclude = ["data.py"]  # what the message says to write under [tool.flytec]
    assert check_paths([tmp_path], config, cwd=tmp_path).diagnostics == []


def test_a_long_source_line_is_shown_as_a_window(tmp_path: Path) -> None:
    paths = write_project(tmp_path, {"data.py": "import flyte\n" + LIST_LINE})
    result = check_paths(paths, Config(cache=False), cwd=tmp_path)
    text = render_text(Report(result.diagnostics, files=1, root=tmp_path, cwd=tmp_path))
    assert max(len(line) for line in text.splitlines()) < 1_200
    caret = next(line for line in text.splitlines() if line.strip().endswith("^"))
    source = next(line for line in text.splitlines() if line.startswith("2 | "))
    assert source.startswith("2 | ...")  # cut before the crossing
    assert source[caret.index("^")] in "1, "  # the caret is on the list, in the window


@pytest.mark.parametrize("expr", ["-" * 50_000 + "1", "1" + "+1" * 100_000,
                                  "lambda: " * 30_000 + "1", "not " * 50_000 + "1"],
                         ids=["unary", "binop", "lambda", "not"])
def test_deep_nesting_is_too_large_at_its_line(expr: str) -> None:
    ir = parse_bytes(f"import flyte\n\nx = {expr}\ny = 2\n".encode(), "deep.py", "deep", False)
    [p] = ir.problems
    assert p.kind == "too-deep" and p.span.line == 3  # the offending line, not line 1
    assert "nested too deeply" in p.message and "1,000 levels" in p.message
