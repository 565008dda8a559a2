"""Syntax verdicts match CPython's (issue 20 item 10).

What CPython rejects is FLY001 with CPython's message and line, also where libcst parses it
(a byte order mark with a latin-1 coding line, module-level ``return``, duplicate argument
names: found by CPython's compiler, not its parser). What CPython compiles but libcst
rejects is FLY005 ``cannot-analyse``, never a syntax error. A 100,000-digit literal is never
a frontend crash (FLY000).

Each case is judged against the running CPython (``compile``, which runs nothing), so the
tests hold on every supported Python.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from flytec.analyzer.check import check_paths
from flytec.codegen.plan import PlanAssembler
from flytec.codegen.plan.assemble import plan_to_json
from flytec.compiler.workflow import extract_all
from flytec.config import Config

CASES: dict[str, bytes] = {
    # libcst rejects what CPython compiles
    "backslash-cr-continuation": b"import flyte\nx = 1\\\r\n",
    "parenthesized-annotated-name": b"import flyte\n(pars): bool = True\n",
    "implicit-concatenation-100k": (
        b"import flyte\nx = (" + b" ".join([b'"a"'] * 100_000) + b")\n"
    ),
    # libcst accepts what CPython rejects
    "bom-with-latin-1-coding": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport flyte\n",
    "top-level-return": b"import flyte\nreturn 1\n",
    "duplicate-argument": b"import flyte\n\ndef f(a, a):\n    pass\n",
    "module-level-nonlocal": b"import flyte\nnonlocal x\n",
    "break-outside-loop": b"import flyte\nbreak\n",
    "two-starred-targets": b"import flyte\na, *b, *c = [1, 2]\n",
    "digits-100k": b"import flyte\nx = " + b"1" * 100_000 + b"\n",
}


def _cpython(data: bytes) -> SyntaxError | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, "case.py", "exec", dont_inherit=True)
    except SyntaxError as e:
        return e
    return None


def _check(tmp_path: Path, data: bytes) -> list[tuple[str, int, str]]:
    p = tmp_path / "case.py"
    p.write_bytes(data)
    result = check_paths([p], Config(cache=False), cwd=tmp_path)
    return [(d.code, d.span.line, d.message) for d in result.diagnostics]


@pytest.mark.parametrize("name", sorted(CASES))
def test_verdict_is_cpythons(name: str, tmp_path: Path) -> None:
    data = CASES[name]
    found = _check(tmp_path, data)
    assert not [f for f in found if f[0] == "FLY000"], found
    error = _cpython(data)
    if error is not None:
        assert [(c, line) for c, line, _ in found] == [("FLY001", max(error.lineno or 1, 1))]
        assert str(error.msg) in found[0][2]
    else:
        assert "FLY001" not in [c for c, _, _ in found], found


@pytest.mark.parametrize("name", ["parenthesized-annotated-name", "implicit-concatenation-100k"])
def test_what_only_libcst_rejects_cannot_be_analysed(name: str, tmp_path: Path) -> None:
    [(code, line, message)] = _check(tmp_path, CASES[name])
    assert (code, line) == ("FLY005", 2)
    assert message.startswith("flytec cannot analyse this file: Python compiles it")
    assert "libcst" in message and "expected" in message  # libcst's reason
    assert 'exclude = ["case.py"]' in message


@pytest.mark.parametrize("name,line,words", [
    ("bom-with-latin-1-coding", 1, "with BOM"),
    ("top-level-return", 2, "'return' outside function"),
    ("duplicate-argument", 3, "duplicate argument 'a'"),
])
def test_what_cpython_rejects_is_a_syntax_error(name: str, line: int, words: str,
                                                tmp_path: Path) -> None:
    [(code, at, message)] = _check(tmp_path, CASES[name])
    assert (code, at) == ("FLY001", line)
    assert words in message


def test_huge_integer_literal_is_a_syntax_error_not_a_crash(tmp_path: Path) -> None:
    [(code, line, message)] = _check(tmp_path, CASES["digits-100k"])
    assert (code, line) == ("FLY001", 2)
    assert "set_int_max_str_digits" in message  # CPython's own limit and how to raise it


def test_compiler_warnings_are_not_printed(tmp_path: Path,
                                           capfd: pytest.CaptureFixture[str]) -> None:
    assert _check(tmp_path, b"import flyte\nx = 1\nif x is 1:\n    y = '\\d'\n") == []
    assert capfd.readouterr().err == ""


def test_huge_hex_constant_builds(tmp_path: Path) -> None:
    # hex literals have no digit limit, but written out in decimal (a plan) they would
    digits = "f" * 20_000
    code = (
        "import flyte\n\nenv = flyte.TaskEnvironment(name='h')\n\n"
        "@env.task\nasync def leaf(x: int) -> int:\n    return x\n\n"
        f"@env.task\nasync def main() -> int:\n    return await leaf(0x{digits})\n"
    )
    p = tmp_path / "hexy.py"
    p.write_text(code)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'h'\n")
    result = check_paths([p], Config(cache=False), cwd=tmp_path)
    assert result.diagnostics == []
    assembler = PlanAssembler(result.program, result.project)
    for wf in extract_all(result.program).values():
        assert plan_to_json(assembler.plan(wf))  # raised ValueError (int to str limit)


def test_newer_syntax_is_still_analysed(tmp_path: Path) -> None:
    # a `type` statement: CPython < 3.12 rejects it, libcst parses it, FLY609 judges it
    # against the target Python; not a syntax error of the running Python
    found = _check(tmp_path, b"import flyte\n\ntype Vec = list[float]\n")
    assert "FLY001" not in [c for c, _, _ in found]


def test_libcst_crashing_is_cannot_analyse_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    class PanicException(BaseException):  # what pyo3 raises for a panic in libcst's Rust code
        pass

    def panics(source: str) -> libcst.Module:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(libcst, "parse_module", panics)
    [(code, _, message)] = _check(tmp_path, b"import flyte\nx = 1\n")
    assert code == "FLY005"
    assert "PanicException: index out of bounds" in message
    # CPython's verdict still wins where it rejects the file
    [(code, line, _)] = _check(tmp_path, b"import flyte\nreturn\nx = (\n")
    assert (code, line) == ("FLY001", 3)
