"""The ast-indexed positions equal libcst's PositionProvider, node for node."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import libcst as cst
import pytest

from flytec.compiler.frontend.lower import Lowerer
from flytec.compiler.frontend.parse import parse_source
from flytec.model import body as ir
from flytec.model.span import Span
from tests.conftest import EXAMPLES

TRICKY = '''
import flyte, asyncio as aio
from flyte.io import File
env = flyte.TaskEnvironment(name="t", resources=flyte.Resources(cpu=(1, 2), memory="1Gi"))

@env.task(cache=flyte.Cache(behavior="auto", salt="x" "y"), retries=3)
async def f(a: int, b: dict[str, list[int]] = {}, *, c: "File | None" = None) -> tuple[int, str]:
    x = [await g(i) for i in range(a) if i % 2 == 0]
    y = {k: v for k, v in b.items()}
    z = (lambda q=f2(1): q + 1)()
    w = a if a > 0 else -a
    s = f"{a!r:>{b['w']}} and {x[0].real}"
    t = b["k"][0].bit_length()
    del y["a"]
    with flyte.group(f"g{a}") as grp, open("f") as fh:
        pass
    try:
        pass
    except (ValueError, KeyError) as e:
        raise RuntimeError("x") from e
    finally:
        print("done")
    if a: pass
    elif b: return 1, "a"
    else: ...
    while (n := a) > 0: a -= 1
    assert a, "msg"
    return (1,
            "é" + "ü")

class C:
    @staticmethod
    def m(self, x=[1, 2][0]) -> None:
        global env
        return None

match C:
    case [a, b]:
        print(a)
    case _:
        pass
'''


def _spans(node: Any) -> Iterator[tuple[str, Span]]:
    """Every (type name, span) in an IR tree, in a deterministic order."""
    if isinstance(node, list):
        for x in node:
            yield from _spans(x)
        return
    if not dataclasses.is_dataclass(node):
        return
    span = getattr(node, "span", None)
    if isinstance(span, Span):
        yield type(node).__name__, span
    for f in dataclasses.fields(node):
        if f.name in ("span", "name_span", "code", "calls"):  # calls: an index of the body
            continue
        yield from _spans(getattr(node, f.name))


def _provider_ir(source: str) -> list[ir.Stmt]:
    from libcst.metadata import MetadataWrapper, PositionProvider

    tree = cst.parse_module(source)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    return Lowerer(tree, source, None, wrapper.resolve(PositionProvider)).lower_module()


# Node kinds whose spans both position sources define the same way.
COMPARED = {
    "Name", "Attribute", "Call", "Await", "Subscript", "Const", "Compare", "BinOp",
    "UnaryOp", "Comp", "IfExp", "Lambda", "DictExpr", "NamedExpr",
}


def _sources() -> list[tuple[str, str]]:
    out = [("tricky", TRICKY)]
    for p in sorted(EXAMPLES.rglob("*.py")):
        out.append((str(p.relative_to(EXAMPLES)), p.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize("name,source", _sources(), ids=[n for n, _ in _sources()])
def test_ast_positions_match_libcst_positions(name: str, source: str) -> None:
    fast = parse_source(source, "x.py", "x", False)
    assert fast.positions == "ast", f"{name}: fell back to libcst positions"
    slow = _provider_ir(source)
    a = [(k, s) for k, s in _spans(fast.body) if k in COMPARED]
    b = [(k, s) for k, s in _spans(slow) if k in COMPARED]
    assert len(a) == len(b)
    mismatches = [(x, y) for x, y in zip(a, b) if x != y]
    assert mismatches == [], mismatches[:5]


def test_fallback_when_ast_cannot_parse() -> None:
    # PEP 695 syntax parses with libcst but not with the ast of Python < 3.12.
    src = "import flyte\n\ntype Vec = list[float]\n\ndef f(x: int) -> int:\n    return x\n"
    m = parse_source(src, "x.py", "x", False)
    assert m.problems == []
    assert m.functions[0].name_span.line == 5


def test_non_ascii_columns_are_characters() -> None:
    m = parse_source('s = "éé"; t = undefined_name\n', "x.py", "x", False)
    stmt = m.body[1]
    assert isinstance(stmt, ir.Assign)
    assert stmt.value.span.column == 15  # characters, not UTF-8 bytes (byte offset: 17)
