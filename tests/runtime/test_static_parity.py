"""Static execution is an optimisation, never a change of meaning: every runnable program of
the repository, run by its plan (`flytec run`) and by its body (`flytec run --dynamic`), gives
the same result, the same stdout and the same error.

The programs are those of every directory in ``CORPORA`` that exists (a corpus written on
another branch joins once it is merged). A program names its cases in its own comments:

    # flytec-parity: TASK --input value ...        (any number of them)
    # flytec-example: run TASK --input value ...   (the examples' run line counts too)
    # flytec-parity-skip: why                      (a program with no case of its own)

Every run is in this process (the CLI through click's runner), each in its own store and
counter directory, with the program's module imported afresh, so state a program keeps in
module globals does not leak from one run into the other.
"""

from __future__ import annotations

import re
import shlex
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime_helpers import Result

ROOT = Path(__file__).resolve().parents[2]
#: directories of runnable programs, each searched recursively for *.py
CORPORA = [
    ROOT / "examples",
    ROOT / "tests" / "runtime" / "programs",
    ROOT / "tests" / "parity" / "programs",
]
_CASE = re.compile(r"^# flytec-(?:parity:|example: run) +(\S+)(.*)$", re.M)
_SKIP = re.compile(r"^# flytec-parity-skip: ", re.M)


@dataclass(frozen=True)
class Case:
    path: Path
    task: str
    args: tuple[str, ...]

    @property
    def id(self) -> str:
        rel = self.path.relative_to(ROOT)
        args = "-".join(a for a in self.args if not a.startswith("--"))
        return f"{rel.parent.name}/{rel.name}::{self.task}{'-' + args if args else ''}"[:90]


def _programs() -> list[Path]:
    out: list[Path] = []
    for corpus in CORPORA:
        if corpus.is_dir():
            out.extend(p for p in sorted(corpus.rglob("*.py")) if "__pycache__" not in p.parts)
    return out


def _cases() -> list[Case]:
    cases: list[Case] = []
    for path in _programs():
        for m in _CASE.finditer(path.read_text(encoding="utf-8")):
            cases.append(Case(path, m.group(1), tuple(shlex.split(m.group(2)))))
    return cases


CASES = _cases()


def test_every_program_of_the_corpora_has_a_case_or_says_why_not() -> None:
    # check-only examples (no run line, e.g. examples/buggy/) are not runnable programs
    runtime = ROOT / "tests" / "runtime" / "programs"
    missing = [
        str(p.relative_to(ROOT)) for p in _programs()
        if p.is_relative_to(runtime)
        and not _CASE.search(text := p.read_text(encoding="utf-8")) and not _SKIP.search(text)
    ]
    assert not missing, f"programs without a `# flytec-parity:` case: {missing}"
    assert len(CASES) >= 40


def _forget(path: Path) -> None:
    """Drop the program's modules (and its package's): the next run imports them afresh."""
    folder = path.resolve().parent
    for name, mod in list(sys.modules.items()):
        file = getattr(mod, "__file__", None)
        if file and Path(file).resolve().parent == folder:
            del sys.modules[name]


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    error: str  # the error's class and message ("" when the run succeeded)


def _outcome(res: Result) -> Outcome:
    error = ""
    if res.code != 0:
        failed = [ln for ln in res.stderr.splitlines() if " failed: " in ln]
        error = failed[-1].split(" failed: ", 1)[1] if failed else res.stderr.strip()
        error = re.sub(r"\b(r|run )[0-9a-f]{14}\b", "RUN", error)
    return Outcome(res.code, res.stdout, error)


def _mode(stderr: str) -> str:
    m = re.search(r"\((?:[^,]*), (static|dynamic): ([^)]*)", stderr)
    return f"{m.group(1)}: {m.group(2)}" if m else "?"


def _both(case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Result, Result]:
    """The case run by its plan, then by its body: each with its own store and counters."""
    from click.testing import CliRunner

    from flytec.cli import cli

    def run(*mode: str) -> Result:
        suffix = "-".join(m.lstrip("-") for m in mode) or "plan"
        counters = tmp / f"counters-{suffix}"
        counters.mkdir()
        monkeypatch.setenv("COUNTER_DIR", str(counters))
        monkeypatch.chdir(case.path.parent)
        _forget(case.path)
        res = CliRunner().invoke(cli, ["run", "--store", str(tmp / f"store-{suffix}"),
                                       "--no-progress", *mode, f"{case.path}::{case.task}",
                                       *case.args], catch_exceptions=False)
        return Result(res.exit_code, res.stdout, res.stderr)

    static, dynamic = run(), run("--dynamic")
    assert "dynamic: --dynamic" in dynamic.stderr, dynamic.stderr
    return static, dynamic


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_plan_and_the_body_give_the_same_outcome(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    static, dynamic = _both(case, tmp_path, monkeypatch)
    assert static.code in (0, 1), static.stderr  # never a usage error or a crash of flytec
    assert _outcome(static) == _outcome(dynamic), (
        f"static run ({_mode(static.stderr)}) differs from the body\n"
        f"--- static stderr\n{static.stderr}\n--- dynamic stderr\n{dynamic.stderr}")



# --------------------------------------------------------------------- generated bodies

GENERATED = '''
import asyncio
import flyte

env = flyte.TaskEnvironment(name="gen")


@env.task
async def inc(x: int) -> int:
    return x + 1


@env.task
async def total(xs: list[int]) -> int:
    return sum(xs)


def note(*values: object) -> None:
    print("note", *values)
'''

_vars = st.sampled_from(["a", "b"])


def _stmt(depth: int) -> st.SearchStrategy[str]:
    simple = st.one_of(
        st.builds(lambda v, w: f"{v} = await inc({w})", _vars, _vars),
        st.builds(lambda v, w: f"{v} = await inc(10 // ({w} - 3))", _vars, _vars),
        st.builds(lambda v, w: f"{v} = {w} * 2 - 5", _vars, _vars),
        st.builds(lambda v: f"acc.append(await inc({v}))", _vars),
        st.builds(lambda v: f"acc.append(inc({v}))", _vars),
        st.builds(lambda v: f"acc.append(asyncio.create_task(inc({v})))", _vars),
        st.builds(lambda v: f"{v} = len(acc)", _vars),
        st.builds(lambda v: f"print('at', {v})", _vars),
        st.builds(lambda v: f"note({v}, len(acc))", _vars),
        st.builds(lambda v: f"_ = note({v})", _vars),
        st.builds(lambda v: f"{v} = sum(flyte.map(inc, [{v}, 1]))", _vars),
        st.builds(lambda v: f"print(list(flyte.map(inc, range({v} % 3))))", _vars),
        st.builds(lambda v: f"{v} = await total([x for x in await asyncio.gather(*acc) "
                            "if isinstance(x, int)])", _vars),
        st.builds(lambda v: f"assert {v} != 7, 'seven'", _vars),
    )
    if depth == 0:
        return simple
    block = st.lists(_stmt(depth - 1), min_size=1, max_size=3)
    return st.one_of(
        simple,
        st.builds(lambda v, t, e: "if " + v + " > 2:\n" + _ind(t) + "\nelse:\n" + _ind(e),
                  _vars, block, block),
        st.builds(lambda t, e: "try:\n" + _ind(t) + "\nexcept ZeroDivisionError:\n" + _ind(e),
                  block, block),
        st.builds(lambda t: "for x in [1, 2]:\n" + _ind(t), block),
        st.builds(lambda t: "with flyte.custom_context(tag='t'):\n" + _ind(t), block),
        st.builds(lambda v: f"if acc:\n    {v} = len(await asyncio.gather(*acc))", _vars),
    )


def _ind(lines: list[str]) -> str:
    return textwrap.indent("\n".join(lines), "    ")


# derandomized: CI runs the same programs every time (see tests/compiler/test_properties.py)
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=st.lists(_stmt(1), min_size=1, max_size=5))
def test_generated_bodies_give_the_same_outcome_both_ways(
    body: list[str], tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path_factory.mktemp("gen")
    (root / "pyproject.toml").write_text("[project]\nname='gen'\n")
    code = GENERATED + (
        "\n\n@env.task\nasync def main(a: int, b: int) -> list[int]:\n    acc = []\n"
        + _ind(body) + "\n    return [a, b]\n")
    path = root / "wf.py"
    path.write_text(code)
    case = Case(path, "main", ("--a", "2", "--b", "5"))
    static, dynamic = _both(case, root, monkeypatch)
    assert _outcome(static) == _outcome(dynamic), f"{code}\n--- static\n{static.stderr}\n" \
                                                  f"--- dynamic\n{dynamic.stderr}"
