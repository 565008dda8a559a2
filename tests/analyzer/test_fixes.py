"""Every fixable rule's fix, Fixit-style: fixing its `bad` example gives exactly its `good`
example (or its documented `fixed` variant), fixing again changes nothing, the finding is
gone, no other finding appears, and comments and blank lines around the edits are kept."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest

from flytec.analyzer.check import check_paths
from flytec.analyzer.fix import FixRun, apply_fixes, fix_paths
from flytec.analyzer.registry import Rule, all_rules
from flytec.config import Config
from flytec.model.fix import Applicability, Edit, Fix, Safety
from flytec.model.span import Span
from tests.conftest import write_project

FIXABLE = [r for r in all_rules() if r.fixable()]
MAIN = "main.py"


def _files(ex: str | dict[str, str]) -> dict[str, str]:
    return {MAIN: ex} if isinstance(ex, str) else dict(ex)


def _fix(root: Path, files: dict[str, str], rule: type[Rule] | None = None,
         *, unsafe: bool = True) -> FixRun:
    paths = write_project(root, files)
    config = Config(cache=False)
    if rule is not None:
        config.select = [rule.code]
    return fix_paths(paths, config, unsafe=unsafe, cwd=root)


def _text(run: FixRun, root: Path, name: str) -> str:
    for f in run.files.values():
        if f.path == (root / name).resolve():
            return f.fixed.decode()
    return (root / name).read_text()


def _codes(root: Path, names: list[str]) -> Counter[str]:
    result = check_paths([root / n for n in names], Config(cache=False), cwd=root)
    return Counter(d.code for d in result.diagnostics)


def test_some_rules_have_fixes() -> None:
    assert {r.code for r in FIXABLE} >= {"FLY103", "FLY104", "FLY105", "FLY110", "FLY607"}


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: f"{r.code}-{r.name}")
def test_fixing_bad_gives_good(rule: type[Rule], tmp_path: Path) -> None:
    files = _files(rule.bad)
    expected = _files(rule.fixed if rule.fixed is not None else rule.good)
    run = _fix(tmp_path / "a", files, rule)
    assert run.fixed >= 1, f"{rule.code}: no fix applied to its bad example: {run.problems}"
    assert run.problems == []
    for name, code in expected.items():
        assert _text(run, tmp_path / "a", name) == textwrap.dedent(code), name
    # every fix of this rule is of the safety it declares
    assert {d.fix.safety for f in run.files.values() for d in f.applied if d.fix} <= set(
        rule.fix_safety)


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: f"{r.code}-{r.name}")
def test_fix_is_idempotent_and_clean(rule: type[Rule], tmp_path: Path) -> None:
    files = _files(rule.bad)
    before = _codes_of(tmp_path / "before", files)
    fixed = _fix(tmp_path / "a", files, rule)
    out = {name: _text(fixed, tmp_path / "a", name) for name in files}
    again = _fix(tmp_path / "b", out, rule)
    assert again.fixed == 0 and not again.changed()
    after = _codes(tmp_path / "b", list(out))
    assert after[rule.code] == 0, f"{rule.code} still reported after its fix"
    new = {c: n for c, n in (after - before).items() if n}
    assert new == {}, f"the {rule.code} fix made new findings: {new}"


def _codes_of(root: Path, files: dict[str, str]) -> Counter[str]:
    write_project(root, files)
    return _codes(root, list(files))


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: f"{r.code}-{r.name}")
def test_fix_keeps_comments_and_blank_lines(rule: type[Rule], tmp_path: Path) -> None:
    """A comment line and a trailing comment on every statement line survive the fix."""
    files = _files(rule.bad)
    decorated = {}
    for name, code in files.items():
        lines = textwrap.dedent(code).split("\n")
        out = []
        for line in lines:
            stripped = line.strip()
            if stripped and not stripped.endswith((":", ",", "(", "[", "{", "\\")) \
                    and not stripped.startswith(("@", ")", "]", "}", '"', "'")):
                line += "  # keep"
            out.append(line)
        decorated[name] = "# top comment\n\n" + "\n".join(out)
    run = _fix(tmp_path / "a", decorated, rule)
    assert run.fixed >= 1
    for name, code in decorated.items():
        text = _text(run, tmp_path / "a", name)
        assert text.startswith("# top comment\n\n")
        assert text.count("# keep") == code.count("# keep")
        assert text.count("\n\n") >= code.count("\n\n") - 1  # a removed statement at most


def test_unsafe_fixes_need_the_flag(tmp_path: Path) -> None:
    unsafe = [r for r in FIXABLE if Safety.UNSAFE in r.fix_safety]
    assert len(unsafe) >= 4
    untouched = 0
    for rule in unsafe:
        run = _fix(tmp_path / rule.code, _files(rule.bad), rule, unsafe=False)
        assert all(d.fix is not None and d.fix.safe for f in run.files.values()
                   for d in f.applied), rule.code
        untouched += not run.changed()
    assert untouched >= 3


def test_rules_declare_fixes_consistently() -> None:
    for r in all_rules():
        if r.fixed is not None:
            assert r.fixable(), r.code
        assert r.fix_applicability in Applicability


# ------------------------------------------------------------------ applying edits


def _f(*edits: tuple[tuple[int, int, int, int], str]) -> Fix:
    return Fix("t", tuple(Edit(Span(*sp), c) for sp, c in edits))


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    text = "a = f(x)\nb = g(y)\n"
    first = _f(((1, 5, 1, 9), "h(x)"))
    overlapping = _f(((1, 7, 1, 8), "z"))
    elsewhere = _f(((2, 5, 2, 6), "k"))
    new, applied = apply_fixes(text, [first, overlapping, elsewhere])
    assert applied == [0, 2]
    assert new == "a = h(x)\nb = k(y)\n"


def test_a_shared_import_edit_is_applied_once() -> None:
    imp = ((2, 1, 2, 1), "import flyte.errors\n")
    text = "import flyte\nx = 1\ny = 2\n"
    new, applied = apply_fixes(text, [_f(imp, ((2, 5, 2, 6), "3")), _f(imp, ((3, 5, 3, 6), "4"))])
    assert applied == [0, 1]
    assert new == "import flyte\nimport flyte.errors\nx = 3\ny = 4\n"


def test_edits_keep_crlf_and_characters() -> None:
    text = "s = 'é'\r\nt = f(1)\r\n"
    new, applied = apply_fixes(text, [_f(((2, 5, 2, 5), "await "))])
    assert new == "s = 'é'\r\nt = await f(1)\r\n" and applied == [0]


def test_an_edit_outside_the_text_is_not_applied() -> None:
    new, applied = apply_fixes("x = 1\n", [_f(((5, 1, 5, 2), "y"))])
    assert (new, applied) == ("x = 1\n", [])


# ------------------------------------------------------------------ imports a fix needs


def test_needed_import_goes_in_order_into_the_last_run_of_imports(tmp_path: Path) -> None:
    code = '''\
"""Doc."""
import asyncio

import flyte
import flyte.io

env = flyte.TaskEnvironment(name="etl")


@env.task
async def poll(job: str) -> bool:
    return bool(job)


@env.task
async def main(job: str) -> bool:
    await asyncio.sleep(5)
    return await poll(job)
'''
    run = _fix(tmp_path, {MAIN: code})
    text = _text(run, tmp_path, MAIN)
    assert "import flyte\nimport flyte.durable\nimport flyte.io\n" in text


def test_needed_import_after_the_docstring_when_there_is_none(tmp_path: Path) -> None:
    from flytec.analyzer.fix_imports import with_imports
    from flytec.compiler.frontend.parse import parse_bytes

    mod = parse_bytes(b'"""Doc."""\n\nx = 1\n', "m.py", "m", False)
    fix = with_imports(mod, Fix("t", (), imports=("flyte.durable", "flyte.errors")))
    assert fix is not None
    assert fix.edits == (Edit.insert(2, 1, "import flyte.durable\nimport flyte.errors\n"),)


def test_docs_list_every_fixable_rule() -> None:
    from tests.conftest import REPO

    text = (REPO / "docs" / "fixes.md").read_text(encoding="utf-8")
    for r in FIXABLE:
        assert f"[{r.code}](rules/{r.code}.md) | `{r.name}` |" in text, r.code


# ------------------------------------------------------------------ the other forms

HEAD = '''\
import asyncio

import flyte

env = flyte.TaskEnvironment(name="etl")


@env.task
async def a(x: int) -> int:
    return x


@env.task
def s(x: int) -> list[int]:
    return [x]


'''


@pytest.mark.parametrize(("body", "fixed"), [
    # FLY103 next to a gather whose result is unused: moved into it
    ("    a(1)\n    await asyncio.gather(a(2), a(3))\n    return 0\n",
     "    await asyncio.gather(a(2), a(3), a(1))\n    return 0\n"),
    # ... with a comment in between: awaited instead, the comment kept
    ("    a(1)  # why\n    await asyncio.gather(a(2))\n    return 0\n",
     "    await a(1)  # why\n    await asyncio.gather(a(2))\n    return 0\n"),
    # FLY104 under a subscript needs parentheses; in a list comprehension it may await
    ("    return s(x)[0]\n", "    return (await s.aio(x))[0]\n"),
    ("    return sum([s(i)[0] for i in range(x)])\n",
     "    return sum([(await s.aio(i))[0] for i in range(x)])\n"),
    # FLY105: a for loop and a comprehension
    ("    t = 0\n    for r in flyte.map(a, [x]):\n        t += r\n    return t\n",
     "    t = 0\n    async for r in flyte.map.aio(a, [x]):\n        t += r\n    return t\n"),
    ("    return sum({r for r in flyte.map(a, [x])})\n",
     "    return sum({r async for r in flyte.map.aio(a, [x])})\n"),
], ids=["gather", "gather-comment", "parens", "listcomp", "for", "setcomp"])
def test_other_forms(body: str, fixed: str, tmp_path: Path) -> None:
    code = HEAD + "@env.task\nasync def main(x: int) -> int:\n"
    run = _fix(tmp_path, {MAIN: code + body}, unsafe=False)
    assert _text(run, tmp_path, MAIN) == code + fixed


@pytest.mark.parametrize("body", [
    "    return sum(s(i)[0] for i in range(x))\n",  # a generator expression cannot await
    "    f = lambda: s(x)\n    return f()[0]\n",  # nor a lambda
])
def test_no_fix_where_await_cannot_go(body: str, tmp_path: Path) -> None:
    code = HEAD + "@env.task\nasync def main(x: int) -> int:\n" + body
    run = _fix(tmp_path, {MAIN: code}, unsafe=True)
    assert not run.changed()


def test_except_tuple_and_named_handler(tmp_path: Path) -> None:
    code = HEAD + '''\
@env.task
async def main(x: int) -> int:
    try:
        return await a(x)
    except (ValueError, KeyError) as err:
        print(err)

        return 0
'''
    run = _fix(tmp_path, {MAIN: code})
    text = _text(run, tmp_path, MAIN)
    assert text.endswith('''\
    except flyte.errors.RuntimeUserError as err:
        if err.code in ("ValueError", "KeyError"):
            print(err)

            return 0
        raise
''')


def test_falsy_cache_override_becomes_disable(tmp_path: Path) -> None:
    code = HEAD.replace("@env.task\nasync def a", '@env.task(cache="auto")\nasync def a') + '''\
@env.task
async def main(x: int) -> int:
    return await a.override(cache=None)(x)
'''
    run = _fix(tmp_path, {MAIN: code})
    assert 'a.override(cache="disable")(x)' in _text(run, tmp_path, MAIN)


def test_fixes_survive_the_result_cache(tmp_path: Path) -> None:
    """A warm incremental check returns the same fixes as the cold one."""
    paths = write_project(tmp_path, {MAIN: FIXABLE[0].bad})
    config = Config(cache=True)
    cold = check_paths(paths, config, cwd=tmp_path, incremental=True)
    warm = check_paths(paths, Config(cache=True), cwd=tmp_path, incremental=True)
    assert [d.fix for d in cold.diagnostics] == [d.fix for d in warm.diagnostics]
    assert any(d.fix is not None for d in warm.diagnostics)


def test_fix_paths_fixes_the_overlay_not_the_disk(tmp_path: Path) -> None:
    """An editor's unsaved buffer (the language server's "fix all") is what gets fixed."""
    on_disk = "import flyte\n\nenv = flyte.TaskEnvironment(name='e')\n"
    buffer = on_disk + textwrap.dedent("""

        @env.task
        async def one() -> int:
            return 1


        @env.task
        async def main() -> int:
            one()
            return 2
        """)
    (path,) = write_project(tmp_path, {MAIN: on_disk})
    run = fix_paths([path], Config(cache=False), cwd=tmp_path,
                    overlay={path.resolve(): buffer.encode()})
    (fixed,) = run.changed()
    assert fixed.original == buffer.encode()
    assert fixed.fixed.decode() == buffer.replace("    one()\n", "    await one()\n")
    assert path.read_text() == on_disk
