"""Task signatures as mypy infers them (what the plans use for input and output types)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from flytec.analyzer.types import TaskSignature, TypeCheckOptions, TypeCheckResult, check_types


def _signature(result: TypeCheckResult, qualname: str) -> TaskSignature:
    (found,) = [s for s in result.signatures if s.qualname == qualname]
    return found


def test_inputs_and_outputs(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    stats = _signature(result, "results.stats")
    assert stats.task == "results.stats"
    assert stats.is_async
    assert [(p.name, p.type, p.required) for p in stats.params] == [("values", "list[float]", True)]
    assert stats.params[0].qualified_type == "builtins.list[builtins.float]"
    assert stats.returns == "tuple[float, float, int]"
    assert stats.outputs == ("float", "float", "int")
    assert stats.output_names == ("o0", "o1", "o2")
    assert stats.render() == "(values: list[float]) -> tuple[float, float, int]"


def test_defaults_sync_tasks_and_named_tuples(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    resize = _signature(result, "calls.resize")
    assert [p.required for p in resize.params] == [True, True, False]
    checksum = _signature(result, "calls.checksum")
    assert not checksum.is_async and checksum.returns == "int"
    store = _signature(result, "awaits.store")
    assert store.outputs == () and store.output_names == ()
    named = _signature(result, "api_ok.stats")
    assert named.output_names == ("mean", "n")
    assert named.outputs == ("float", "int")


def test_signatures_with_the_real_flyte(real_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = real_project
    stats = _signature(result, "results.stats")
    assert stats.is_async and stats.outputs == ("float", "float", "int")
    checksum = _signature(result, "calls.checksum")
    assert not checksum.is_async and checksum.returns == "int"


def test_only_tasks_the_module_defines(stub_project: tuple[Path, TypeCheckResult]) -> None:
    _, result = stub_project
    flow = [s.qualname for s in result.signatures if s.path.endswith("flow.py")]
    assert flow == ["pkg.flow.ok", "pkg.flow.bad"]


def test_given_task_names_win(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "m.py").write_text(
        textwrap.dedent(
            """
            import flyte

            env = flyte.TaskEnvironment(name="made")

            @env.task
            async def add(x: int) -> int:
                return x

            @env.task
            async def main() -> int:
                return await add("1")
            """
        )
    )
    options = TypeCheckOptions(
        stubs="always", tasks={"m.add": "given.add"}, mypy_cache_dir=mypy_cache
    )
    result = check_types([tmp_path / "m.py"], tmp_path, options)
    assert [d.message for d in result.diagnostics] == [
        "argument `x` of task `given.add` expects int, got str"
    ]
    assert {s.task for s in result.signatures} == {"given.add", "made.main"}
