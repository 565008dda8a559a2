"""FLY609: APIs newer than the Python a task runs on; the table matches the real interpreters."""

from __future__ import annotations

import builtins
import hashlib
import importlib
import importlib.util
import sys

import pytest

from flytec.analyzer.rules.deploy.python_apis import MODULES, NAMES, SYNTAX
from flytec.compiler.resolve import _BUILTINS
from flytec.config import python_floor
from tests.conftest import CheckFn

HERE = sys.version_info[:2]


@pytest.mark.parametrize("name", sorted(NAMES))
def test_table_matches_the_running_python(name: str) -> None:
    # `make test` runs this on every interpreter from 3.10 to 3.13 it finds, so each entry's
    # version is checked on both sides of it
    module, _, attr = name.rpartition(".")
    has = hasattr(builtins if module == "builtins" else importlib.import_module(module), attr)
    assert has == (HERE >= NAMES[name]), f"{name}: Python {HERE} {'has' if has else 'lacks'} it"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_table_matches_the_running_python(module: str) -> None:
    assert (importlib.util.find_spec(module) is not None) == (HERE >= MODULES[module])


SYNTAX_SAMPLES = {
    "except*": "try:\n    pass\nexcept* ValueError:\n    pass\n",
    "type statement": "type Pair = tuple[int, int]\n",
}


@pytest.mark.parametrize("what", sorted(SYNTAX))
def test_syntax_table_matches_the_running_python(what: str) -> None:
    try:
        compile(SYNTAX_SAMPLES[what], "<sample>", "exec")
        parses = True
    except SyntaxError:
        parses = False
    assert parses == (HERE >= SYNTAX[what])


def test_builtins_are_the_same_on_every_python() -> None:
    # name resolution knows the builtins of 3.10 to 3.13 whichever runs flytec
    assert {"ExceptionGroup", "BaseExceptionGroup", "PythonFinalizationError"} <= _BUILTINS
    digest = hashlib.sha256(" ".join(sorted(_BUILTINS)).encode()).hexdigest()
    assert digest == BUILTINS_DIGEST


BUILTINS_DIGEST = "21f0f0ac4fde63eff61e12ebc246927883698d7b20c2f672e20b5b1a042bf6b4"

TASK_GROUP = """
import asyncio
import flyte

env = flyte.TaskEnvironment(name="e"{image})


@env.task
async def double(x: int) -> int:
    return 2 * x


@env.task
async def main(x: int) -> int:
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(double(x))
    return a.result()
"""


def fly609(result: object) -> list[str]:
    return [f"{d.span.line}: {d.message}" for d in result.diagnostics  # type: ignore[attr-defined]
            if d.code == "FLY609"]


def test_requires_python_decides(check: CheckFn) -> None:
    code = TASK_GROUP.format(image="")
    old = fly609(check({"pyproject.toml": "[project]\nname='p'\nrequires-python='>=3.10,<4'\n",
                        "main.py": code}, only=["main.py"]))
    assert len(old) == 1 and "`asyncio.TaskGroup` is new in Python 3.11" in old[0]
    assert "the project supports Python 3.10 (requires-python" in old[0]
    new = fly609(check({"pyproject.toml": "[project]\nname='p'\nrequires-python='>=3.11'\n",
                        "main.py": code}, only=["main.py"]))
    assert new == []


def test_without_requires_python_the_floor_is_310(check: CheckFn) -> None:
    found = fly609(check(TASK_GROUP.format(image="")))
    assert len(found) == 1 and "flytec assumes Python 3.10" in found[0]


def test_the_image_python_wins(check: CheckFn) -> None:
    img = ", image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages('x')"
    assert fly609(check(TASK_GROUP.format(image=img))) == []
    old = ", image=flyte.Image.from_debian_base(python_version=(3, 10))"
    found = fly609(check(TASK_GROUP.format(image=old), target_python=(3, 12)))
    assert len(found) == 1 and "image has python_version=(3, 10)" in found[0]


def test_imports_builtins_and_syntax(check: CheckFn) -> None:
    found = fly609(check("""
        import flyte
        import tomllib
        from typing import Self
        from asyncio import timeout


        class Node:
            def clone(self) -> Self:
                return self


        def run(errors: list[Exception]) -> None:
            try:
                raise ExceptionGroup("many", errors)
            except* ValueError:
                pass
    """))
    assert sorted(int(f.split(":")[0]) for f in found) == [3, 4, 5, 15, 16]
    text = "\n".join(found)
    assert "`tomllib` is new in Python 3.11" in text and "ModuleNotFoundError" in text
    assert "`typing.Self`" in text and "`asyncio.timeout`" in text
    assert "`ExceptionGroup`" in text and "NameError" in text
    assert "`except*`" in text and "SyntaxError" in text


def test_feature_tests_and_fallbacks_are_not_reported(check: CheckFn) -> None:
    assert fly609(check("""
        import asyncio
        import sys

        import flyte
        from typing import TYPE_CHECKING

        try:
            import tomllib
        except ModuleNotFoundError:
            import tomli as tomllib

        if sys.version_info >= (3, 11):
            from typing import Self
        else:
            from typing_extensions import Self

        if TYPE_CHECKING:
            from typing import Never


        async def wait(aw):
            if hasattr(asyncio, "timeout"):
                async with asyncio.timeout(5):
                    return await aw
            return await asyncio.wait_for(aw, 5)
    """)) == []


def test_a_name_of_the_same_spelling_is_not_the_api(check: CheckFn) -> None:
    assert fly609(check("""
        import flyte


        class TaskGroup:
            pass


        def make() -> TaskGroup:
            ExceptionGroup = list
            return TaskGroup() if ExceptionGroup else None
    """)) == []


@pytest.mark.parametrize(("spec", "floor"), [
    (">=3.10", (3, 10)), (">=3.10,<3.14", (3, 10)), ("~=3.11", (3, 11)), ("==3.12.*", (3, 12)),
    (">3.10", (3, 10)), (">= 3.11.2", (3, 11)), ("<3.13", None), ("", None), ("nonsense", None),
])
def test_requires_python_floor(spec: str, floor: tuple[int, int] | None) -> None:
    assert python_floor(spec) == floor
