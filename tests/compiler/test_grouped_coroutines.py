"""Coroutines collected into a dict of lists and gathered key by key (issue 16): one filtered
fan-out per gathered key, launched at its gather; every other form stays dynamic with the
reason it had. tests/runtime/programs/grouped_coroutines.py holds the static bodies."""

from __future__ import annotations

import ast

import pytest

from flytec.model import body as ir
from flytec.model import plan as pm
from flytec.model.span import Span
from flytec.model.unparse import unparse_code
from tests.compiler.helpers import REPO, compiled

PROGRAM = REPO / "tests" / "runtime" / "programs" / "grouped_coroutines.py"
NOT_AWAITED = "is a call that is not awaited here"


def plan(task: str) -> pm.Plan:
    return compiled(PROGRAM)[1][f"grouped.{task}"]


def test_each_gathered_key_is_a_fanout_of_its_own_in_gather_order() -> None:
    p = plan("group_dynamic")
    assert p.static, p.dynamic_reasons
    fanouts = [n for n in p.nodes if n.kind == "fanout"]
    assert len(fanouts) == 2
    branches = [n for n in p.nodes if n.kind == "branch"]
    assert [b.condition for b in branches] == [
        "('even' if x % 2 == 0 else 'odd') == 'even'",
        "('even' if x % 2 == 0 else 'odd') == 'odd'",
    ]
    even, odd = fanouts
    # the odd calls start after the evens were gathered and printed
    [show] = [n for n in p.nodes if n.kind == "glue" and (n.code or "").startswith("print")]
    assert [b.node for b in show.inputs.values()] == [even.id]
    assert show.id in odd.after
    # made outside the groups, the calls start at their gathers, inside them
    assert (even.group, odd.group) == ("even-group", "odd-group")
    assert {n.group for n in p.nodes if n.parent in (even.id, odd.id)} == {
        "even-group", "odd-group"}
    [total] = [n for n in p.nodes if n.kind == "task" and n.task == "grouped.total"]
    assert total.parent is None


def test_a_key_never_gathered_has_no_fanout() -> None:
    p = plan("one_key_never_gathered")
    assert p.static
    assert len([n for n in p.nodes if n.kind == "fanout"]) == 1


def test_elif_chains_and_constant_keys() -> None:
    assert len([n for n in plan("nested_choice").nodes if n.kind == "fanout"]) == 3
    assert plan("constant_key").static


DYNAMIC = '''
import asyncio
import flyte

env = flyte.TaskEnvironment(name="grp")


@env.task
async def double(x: int) -> int:
    return x * 2


def pick(x: int) -> str:
    return "even" if x % 2 == 0 else "odd"


@env.task
async def with_setdefault(n: int) -> list[int]:
    d = {}
    for x in range(n):
        d.setdefault("even" if x % 2 == 0 else "odd", []).append(double(x))
    return await asyncio.gather(*d["even"])


@env.task
async def key_from_a_call(n: int) -> list[int]:
    d = {"even": [], "odd": []}
    for x in range(n):
        d[pick(x)].append(double(x))
    return await asyncio.gather(*d["even"])


@env.task
async def dict_read_otherwise(n: int) -> list[int]:
    d = {"even": [], "odd": []}
    for x in range(n):
        if x % 2 == 0:
            k = "even"
        else:
            k = "odd"
        d[k].append(double(x))
    print(len(d["odd"]))
    return await asyncio.gather(*d["even"])


@env.task
async def gathered_in_a_loop(n: int) -> list[int]:
    d = {"even": [], "odd": []}
    for x in range(n):
        if x % 2 == 0:
            k = "even"
        else:
            k = "odd"
        d[k].append(double(x))
    out = []
    for key in ("even", "odd"):
        out += await asyncio.gather(*d[key])
    return out


@env.task
async def key_read_after(n: int) -> list[int]:
    d = {"even": [], "odd": []}
    k = "even"
    for x in range(n):
        if x % 2 == 0:
            k = "even"
        else:
            k = "odd"
        d[k].append(double(x))
    print(k)
    return await asyncio.gather(*d["even"])


@env.task
async def key_not_always_set(n: int) -> list[int]:
    d = {"even": [], "odd": []}
    for x in range(n):
        if x % 2 == 0:
            k = "even"
        d[k].append(double(x))
    return await asyncio.gather(*d["even"])


@env.task
async def unknown_key(n: int) -> list[int]:
    d = {"even": [], "odd": []}
    for x in range(n):
        if x % 2 == 0:
            k = "even"
        else:
            k = "other"
        d[k].append(double(x))
    return await asyncio.gather(*d["even"])
'''

FORMS = ["with_setdefault", "key_from_a_call", "dict_read_otherwise", "gathered_in_a_loop",
         "key_read_after", "key_not_always_set", "unknown_key"]


@pytest.fixture(scope="module")
def dynamic_plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pm.Plan]:
    root = tmp_path_factory.mktemp("grp")
    (root / "pyproject.toml").write_text("[project]\nname = 'grp'\n")
    (root / "grp.py").write_text(DYNAMIC)
    return compiled(root / "grp.py", cwd=root)[1]


@pytest.mark.parametrize("task", FORMS)
def test_forms_whose_structure_is_not_certain_stay_dynamic(
    task: str, dynamic_plans: dict[str, pm.Plan]
) -> None:
    p = dynamic_plans[f"grp.{task}"]
    assert not p.static
    assert any(NOT_AWAITED in r.message for r in p.dynamic_reasons), p.dynamic_reasons


Z = Span(1, 1, 1, 1)


def _n(name: str) -> ir.Name:
    return ir.Name(name, Z)


@pytest.mark.parametrize("e", [
    ir.BinOp("*", ir.BinOp("+", _n("a"), _n("b"), Z), _n("c"), Z),
    ir.BinOp("-", _n("a"), ir.BinOp("-", _n("b"), _n("c"), Z), Z),
    ir.UnaryOp("not", ir.BoolOp("or", [_n("a"), _n("b")], Z), Z),
    ir.IfExp(_n("t"), ir.IfExp(_n("u"), _n("a"), _n("b"), Z), _n("c"), Z),
    ir.Compare(ir.IfExp(_n("t"), _n("a"), _n("b"), Z), ["=="], [_n("c")], Z),
    ir.BinOp("**", ir.BinOp("**", _n("a"), _n("b"), Z), _n("c"), Z),
])
def test_code_for_moved_expressions_keeps_their_structure(e: ir.Expr) -> None:
    def shape(x: ir.Expr) -> str:
        if isinstance(x, ir.Name):
            return x.id
        if isinstance(x, ir.BinOp):
            return f"({shape(x.left)}{x.op}{shape(x.right)})"
        if isinstance(x, ir.UnaryOp):
            return f"(not {shape(x.operand)})"
        if isinstance(x, ir.BoolOp):
            return "(" + f" {x.op} ".join(shape(v) for v in x.values) + ")"
        if isinstance(x, ir.IfExp):
            return f"({shape(x.body)} if {shape(x.test)} else {shape(x.orelse)})"
        assert isinstance(x, ir.Compare)
        return f"({shape(x.left)}=={shape(x.comparators[0])})"

    ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Pow: "**"}

    def py(x: ast.expr) -> str:
        if isinstance(x, ast.Name):
            return x.id
        if isinstance(x, ast.BinOp):
            return f"({py(x.left)}{ops[type(x.op)]}{py(x.right)})"
        if isinstance(x, ast.UnaryOp):
            return f"(not {py(x.operand)})"
        if isinstance(x, ast.BoolOp):
            return "(" + " or ".join(py(v) for v in x.values) + ")"
        if isinstance(x, ast.IfExp):
            return f"({py(x.body)} if {py(x.test)} else {py(x.orelse)})"
        assert isinstance(x, ast.Compare)
        return f"({py(x.left)}=={py(x.comparators[0])})"

    assert py(ast.parse(unparse_code(e), mode="eval").body) == shape(e)
