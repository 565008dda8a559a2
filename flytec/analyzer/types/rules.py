"""Metadata of the mypy-derived rules FLY210-FLY219, for the rule registry and the docs.

Each entry says what the rule reports, why it matters in Flyte 2, how to fix it, and
gives a bad and a good example.  ``docs/rules/FLY2xx.md`` holds the long form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flytec.model.diagnostic import Category, Severity


@dataclass(frozen=True, slots=True)
class TypeRule:
    """One rule: its code, name and default severity, with its documentation."""

    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    why: str
    fix: str
    bad: str
    good: str


_ENV = 'import flyte\n\nenv = flyte.TaskEnvironment(name="typed")\n\n'
_ENV_ASYNCIO = "import asyncio\n\n" + _ENV

TYPE_RULES: tuple[TypeRule, ...] = (
    TypeRule(
        code="FLY210",
        name="task-argument-type",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="An argument passed to a task does not have the type of its parameter.",
        why=(
            "Flyte 2 converts every argument with its type engine when the child action is "
            "submitted; a wrong type fails at that moment (RuntimeUserError 'Type conversion "
            "failed'), possibly hours into a run."
        ),
        fix="Pass a value of the parameter's type, converting it first if needed.",
        bad=_ENV + "@env.task\nasync def add(x: int, y: int) -> int: ...\n\n"
        '@env.task\nasync def main() -> int:\n    return await add(1, "2")\n',
        good=_ENV + "@env.task\nasync def add(x: int, y: int) -> int: ...\n\n"
        '@env.task\nasync def main() -> int:\n    return await add(1, int("2"))\n',
    ),
    TypeRule(
        code="FLY211",
        name="task-unknown-keyword",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="A task is called with a keyword it has no parameter for, or too many arguments.",
        why=(
            "Task inputs are matched by name when the call is submitted: an unknown keyword is "
            "an error at run time, or is silently dropped so that the default is used."
        ),
        fix="Use the parameter names of the task's signature.",
        bad=_ENV + "@env.task\nasync def resize(w: int, h: int = 128) -> str: ...\n\n"
        "@env.task\nasync def main() -> str:\n    return await resize(256, hieght=256)\n",
        good=_ENV + "@env.task\nasync def resize(w: int, h: int = 128) -> str: ...\n\n"
        "@env.task\nasync def main() -> str:\n    return await resize(256, h=256)\n",
    ),
    TypeRule(
        code="FLY212",
        name="task-missing-argument",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="A task is called without a value for a required parameter.",
        why="The child action fails at submission with 'Missing required inputs'.",
        fix="Pass every parameter that has no default.",
        bad=_ENV + "@env.task\nasync def resize(w: int, h: int) -> str: ...\n\n"
        "@env.task\nasync def main() -> str:\n    return await resize(w=256)\n",
        good=_ENV + "@env.task\nasync def resize(w: int, h: int) -> str: ...\n\n"
        "@env.task\nasync def main() -> str:\n    return await resize(w=256, h=256)\n",
    ),
    TypeRule(
        code="FLY213",
        name="task-result-type",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="A task's result is used as a value of another type.",
        why=(
            "Results come back through the type engine as the declared output type; code that "
            "expects another type fails later, far from the call, or corrupts data."
        ),
        fix="Use the result as the task's declared output type, or change the declaration.",
        bad=_ENV + "@env.task\nasync def count(path: str) -> int: ...\n\n"
        '@env.task\nasync def main() -> str:\n    n: str = await count("a")\n    return n\n',
        good=_ENV + "@env.task\nasync def count(path: str) -> int: ...\n\n"
        '@env.task\nasync def main() -> str:\n    n: int = await count("a")\n    return str(n)\n',
    ),
    TypeRule(
        code="FLY214",
        name="await-sync-task",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="A synchronous task's call is awaited.",
        why=(
            "Calling a sync task gives its result, not an awaitable; from async code Flyte 2 "
            "requires `await task.aio(...)` (a direct call raises "
            "SyncTaskCallInAsyncContextError)."
        ),
        fix="Write `await task.aio(...)`.",
        bad=_ENV + "@env.task\ndef checksum(data: str) -> int: ...\n\n"
        '@env.task\nasync def main() -> int:\n    return await checksum("x")\n',
        good=_ENV + "@env.task\ndef checksum(data: str) -> int: ...\n\n"
        '@env.task\nasync def main() -> int:\n    return await checksum.aio("x")\n',
    ),
    TypeRule(
        code="FLY215",
        name="missing-await",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="An async task is called but its coroutine is never awaited.",
        why=(
            "Calling an async task only creates a coroutine: without `await` (or "
            "asyncio.gather) the child action never runs and its result is lost."
        ),
        fix="Await the call, or collect the coroutines and `await asyncio.gather(...)` them.",
        bad=_ENV + "@env.task\nasync def store(n: int) -> None: ...\n\n"
        "@env.task\nasync def main() -> None:\n    store(1)\n",
        good=_ENV + "@env.task\nasync def store(n: int) -> None: ...\n\n"
        "@env.task\nasync def main() -> None:\n    await store(1)\n",
    ),
    TypeRule(
        code="FLY216",
        name="tuple-output-unpack",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="A task's outputs are unpacked into the wrong number of names.",
        why=(
            "A `-> tuple[A, B, C]` annotation declares three outputs (o0, o1, o2); unpacking "
            "them into another number of names raises ValueError after the child has run."
        ),
        fix="Unpack exactly as many names as the task has outputs.",
        bad=_ENV + "@env.task\nasync def stats(v: list[float]) -> tuple[float, float, int]: ...\n\n"
        "@env.task\nasync def main() -> float:\n    mean, peak = await stats([1.0])\n"
        "    return mean\n",
        good=_ENV
        + "@env.task\nasync def stats(v: list[float]) -> tuple[float, float, int]: ...\n\n"
        "@env.task\nasync def main() -> float:\n    mean, peak, _n = await stats([1.0])\n"
        "    return mean\n",
    ),
    TypeRule(
        code="FLY217",
        name="map-element-type",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="flyte.map is given elements that do not fit the mapped task's parameter.",
        why=(
            "flyte.map zips its iterables into the task's positional arguments; every element "
            "of the wrong type becomes a failed action (and, with return_exceptions=True, an "
            "exception object among the results)."
        ),
        fix="Map over elements of the parameter's type, or use functools.partial for the rest.",
        bad=_ENV + "@env.task\nasync def square(x: int) -> int: ...\n\n"
        "@env.task\nasync def main() -> None:\n"
        '    async for r in flyte.map.aio(square, ["1", "2"]):\n        print(r)\n',
        good=_ENV + "@env.task\nasync def square(x: int) -> int: ...\n\n"
        "@env.task\nasync def main() -> None:\n"
        "    async for r in flyte.map.aio(square, [1, 2]):\n        print(r)\n",
    ),
    TypeRule(
        code="FLY218",
        name="gather-result-type",
        category=Category.TYPE,
        severity=Severity.ERROR,
        summary="The result of asyncio.gather over task calls is used with the wrong type.",
        why=(
            "asyncio.gather returns the tasks' results in call order, each with its own output "
            "type; a wrong annotation or unpacking breaks after every child has run."
        ),
        fix="Annotate or unpack the gathered results with the tasks' output types, in order.",
        bad=_ENV_ASYNCIO + "@env.task\nasync def square(x: int) -> int: ...\n\n"
        "@env.task\nasync def main() -> None:\n"
        "    out: list[str] = await asyncio.gather(*[square(i) for i in range(3)])\n",
        good=_ENV_ASYNCIO + "@env.task\nasync def square(x: int) -> int: ...\n\n"
        "@env.task\nasync def main() -> None:\n"
        "    out: list[int] = await asyncio.gather(*[square(i) for i in range(3)])\n",
    ),
    TypeRule(
        code="FLY219",
        name="mypy-error",
        category=Category.TYPE,
        severity=Severity.INFO,
        summary="Another mypy error, not at a task boundary (shown only when configured).",
        why=(
            "flytec runs mypy with its Flyte stubs; errors outside task boundaries are real, "
            "but are usually left to the project's own mypy run."
        ),
        fix="Fix the error as mypy explains, or leave it to your own mypy configuration.",
        bad='import flyte\n\ncache = flyte.Cache(behavior="override", version="v2")\n',
        good='import flyte\n\ncache = flyte.Cache(behavior="override", version_override="v2")\n',
    ),
)

RULES_BY_CODE: dict[str, TypeRule] = {rule.code: rule for rule in TYPE_RULES}


def rule(code: str) -> TypeRule:
    """The rule with this code (``KeyError`` for codes outside FLY210-FLY219)."""
    return RULES_BY_CODE[code]
