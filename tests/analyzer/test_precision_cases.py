"""Cases found running flytec over flyte-sdk's examples (docs/precision.md)."""

from __future__ import annotations

from tests.conftest import CheckFn, codes

ENV = 'import flyte\n\nenv = flyte.TaskEnvironment(name="etl")\n'


def test_bare_dict_is_not_pickled(check: CheckFn) -> None:
    src = ENV + "\n@env.task\nasync def t(d: dict) -> dict:\n    return d\n"
    assert "FLY202" not in codes(check(src))


def test_plugin_types_and_explicit_pickles_are_not_reported(check: CheckFn) -> None:
    src = (
        "import polars as pl\nfrom flyte.types import FlytePickle\n" + ENV
        + "\n@env.task\nasync def t(df: pl.DataFrame, p: FlytePickle) -> pl.LazyFrame:\n"
        "    return df.lazy()\n"
    )
    assert "FLY202" not in codes(check(src))


def test_bare_list_is_still_pickled(check: CheckFn) -> None:
    src = ENV + "\n@env.task\nasync def t(xs: list) -> int:\n    return len(xs)\n"
    assert codes(check(src)) == ["FLY202"]


def test_sandbox_orchestrators_call_tasks_directly(check: CheckFn) -> None:
    src = ENV + (
        "\n@env.task\ndef add(a: int, b: int) -> int:\n    return a + b\n"
        "\n@env.sandbox.orchestrator\nasync def board(xs: list[int]) -> int:\n"
        "    total = 0\n    for x in xs:\n        total = add(total, x)\n    return total\n"
    )
    assert "FLY104" not in codes(check(src))


def test_missing_dependency_is_a_warning_when_a_root_covers_both(check: CheckFn) -> None:
    src = """
import flyte

inner_1 = flyte.TaskEnvironment(name="inner_1")
inner_2 = flyte.TaskEnvironment(name="inner_2")
outer = flyte.TaskEnvironment(name="outer", depends_on=[inner_1, inner_2])


@inner_2.task
async def two() -> str:
    return "2"


@inner_1.task
async def one() -> str:
    return "1" + await two()


@outer.task
async def main() -> str:
    return await one()
"""
    (d,) = [d for d in check(src).diagnostics if d.code == "FLY604"]
    assert d.severity.value == "warning"
    assert "works only in runs started from `outer`" in d.message
