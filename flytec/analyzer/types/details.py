"""Longer explanations of the mypy-based rules (rendered into docs/rules/FLY21x.md)."""

DETAILS: dict[str, str] = {
    "FLY210": (
        "Also checked: `t.aio(...)`, `t.forward(...)`, `t.override(...)(...)` and, with "
        "flytec's stubs, the arguments given to `flyte.run(t, ...)` and "
        "`flyte.with_runcontext(...).run(t, ...)`. With the real `flyte` installed the SDK's "
        "own typing is used: it types `__call__` with overloads, so mypy reports the whole call"
        " and flytec works out which argument is wrong; calls through `override(...)` and "
        "`flyte.run` are not checked there."
    ),
    "FLY211": (
        "Too many positional arguments are reported under this code as well (\"task `typed.add` "
        "takes 2 positional arguments, got 3\")."
    ),
    "FLY213": (
        "The result may be assigned, returned, or passed to a function that is not a task (a "
        "task's argument is FLY210)."
    ),
    "FLY214": (
        "Also reported when a sync task's call is given to `asyncio.gather(...)`."
    ),
    "FLY215": (
        "Reported when the call is a statement on its own (`store(1)`), and when the coroutine "
        "is used as if it were the result (`x: int = double(1)`, `await add(add(1, 2), 3)`). "
        "Calls handed to `asyncio.gather`, `asyncio.create_task` and the like are not reported."
    ),
    "FLY216": (
        "`-> tuple[A, B]` is two outputs; a NamedTuple return is named outputs; anything else "
        "is one output, which cannot be unpacked."
    ),
    "FLY217": (
        "flytec's stubs type `flyte.map(task, xs, ys, zs)` for one to three iterables (checked "
        "against the task's positional parameters) and `functools.partial` of a task (not "
        "checked). The real SDK types the iterables as `Iterable[Any]`, so with the real "
        "`flyte` installed this rule does not fire; use `[tool.flytec] types-stubs = \"always\"` "
        "(see docs/types.md) to check map elements anyway."
    ),
    "FLY218": (
        "Covers results annotated, returned or unpacked with the wrong types or count."
    ),
    "FLY219": (
        "Shown only with `show-mypy-errors = true` (or the matching flag); off by default so "
        "that flytec does not duplicate the project's own mypy run. A mypy run that fails "
        "altogether is reported once under this code as a warning (\"type checks skipped: ...\")."
    ),
}
