"""Non-determinism rules (FLY301-FLY304): sources, sinks, helpers, modules, negatives."""

from __future__ import annotations

from tests.conftest import CheckFn

HEAD = """
import asyncio
import os
import random
import time
import uuid
from datetime import datetime

import flyte
import flyte.durable

env = flyte.TaskEnvironment(name="nd")


@env.task
async def child(x: str) -> str:
    return x


@env.task
async def other(x: str) -> str:
    return x


@env.task
async def many(xs: list[str]) -> int:
    return len(xs)
"""


def found(check: CheckFn, body: str, code: str | None = None,
          files: dict[str, str] | None = None) -> list[tuple[str, int]]:
    src = HEAD + body
    result = check({"main.py": src, **(files or {})})
    return [(d.code, d.span.line - src.count("\n", 0, src.index(body)))
            for d in result.diagnostics
            if d.code.startswith("FLY30") and (code is None or d.code == code)]


def test_clock_into_task_input(check: CheckFn) -> None:
    body = """
@env.task
async def main() -> str:
    stamp = f"run-{time.time()}"
    label = stamp.upper()
    return await child(label)
"""
    assert found(check, body) == [("FLY301", 4)]


def test_tuple_unpacking_and_augassign(check: CheckFn) -> None:
    body = """
@env.task
async def main() -> str:
    a, b = uuid.uuid4().hex, "x"
    b += a
    return await child(b)
"""
    assert found(check, body) == [("FLY301", 4)]


def test_chain_explains_helper(check: CheckFn) -> None:
    body = """
def stamp() -> str:
    return datetime.now().isoformat()


def wrapped() -> str:
    return "day-" + stamp()


@env.task
async def main() -> str:
    return await child(wrapped())
"""
    src = HEAD + body
    result = check(src)
    ds = [d for d in result.diagnostics if d.code == "FLY301"]
    assert len(ds) == 1
    assert "`wrapped()`" in ds[0].message
    text = " / ".join(ds[0].chain)
    assert "helper `wrapped()` returns a value from `stamp()`" in text
    assert "helper `stamp()` returns a value from `datetime.now()`" in text


def test_helper_in_other_module_with_alias(check: CheckFn) -> None:
    files = {
        "util/__init__.py": "from util.clock import today as today_alias\n",
        "util/clock.py": "import datetime as dt\n\n\ndef today() -> str:\n"
                         "    return dt.date.today().isoformat()\n",
    }
    body = """
from util import today_alias as t


@env.task
async def main() -> str:
    day = t()
    return await child(day)
"""
    assert found(check, body, files=files) == [("FLY301", 7)]


def test_branch_count_and_order(check: CheckFn) -> None:
    body = """
@env.task
async def branch() -> str:
    if datetime.now().hour > 12:
        return await child("pm")
    return "am"


@env.task
async def count() -> list[str]:
    n = random.randint(1, 5)
    return list(await asyncio.gather(*[child(str(i)) for i in range(n)]))


@env.task
async def early_exit() -> str:
    if flyte.ctx().attempt_number > 0:
        return "skipped"
    return await child("ran")


@env.task
async def stable_flag() -> str:
    # a driver's environment is the same on every retry: not reported
    if os.environ.get("SKIP"):
        return "skipped"
    return await child("ran")


@env.task
async def order(xs: list[str]) -> int:
    return await many(list(set(xs)))
"""
    assert found(check, body) == [("FLY302", 4), ("FLY302", 11), ("FLY302", 17),
                                  ("FLY303", 32)]


def test_as_completed_order_reaches_input(check: CheckFn) -> None:
    body = """
@env.task
async def main(xs: list[str]) -> int:
    done: list[str] = []
    for fut in asyncio.as_completed([child(x) for x in xs]):
        done.append(await fut)
    return await many(done)
"""
    assert found(check, body) == [("FLY303", 5)]


def test_module_level_uuid_but_not_constructor(check: CheckFn) -> None:
    body = """
RUN_ID = str(uuid.uuid4())
START = datetime(2026, 1, 1)


@env.task
async def main() -> str:
    await child(START.isoformat())
    return await child(RUN_ID)
"""
    assert found(check, body) == [("FLY301", 9)]


def test_negatives(check: CheckFn) -> None:
    body = """
@flyte.trace
async def pick(xs: list[str]) -> str:
    return random.choice(xs)


@env.task
async def logged() -> str:
    print(f"started at {datetime.now()}")
    t0 = time.time()
    out = await child("x")
    print("took", time.time() - t0)
    return out


@env.task
async def traced(xs: list[str]) -> str:
    return await child(await pick(xs))


@env.task
async def durable() -> str:
    now = await flyte.durable.now.aio()
    start = flyte.ctx().run_start_time
    return await child(f"{now}-{start}")


@env.task
async def sorted_set(xs: list[str]) -> int:
    return await many(sorted(set(xs)))


@env.task
async def per_element(xs: list[str]) -> list[str]:
    return list(await asyncio.gather(*[child(x) for x in set(xs)]))


@env.task
async def seeded(xs: list[str], seed: int) -> int:
    rng = random.Random(seed)
    ys = list(xs)
    rng.shuffle(ys)
    return await many(ys)


@env.task
async def token() -> str:
    return await child(os.environ.get("HF_TOKEN", ""))


@env.task
async def override_only(x: str) -> str:
    return await child.override(short_name=f"c-{uuid.uuid4()}")(x)


@env.task
def leaf_seed(n: int) -> int:
    random.seed(n)
    return n
"""
    assert found(check, body) == []


def test_helper_that_launches_is_followed(check: CheckFn) -> None:
    body = """
async def launch(tag: str) -> str:
    return await child(tag)


@env.task
async def main() -> str:
    return await launch(str(uuid.uuid4()))
"""
    src = HEAD + body
    result = check(src)
    ds = [d for d in result.diagnostics if d.code == "FLY301"]
    assert len(ds) == 1
    assert any("passed to helper `launch()`" in c for c in ds[0].chain)


def test_leaf_output_info_and_cached_warning(check: CheckFn) -> None:
    body = """
@env.task
async def leaf() -> float:
    return random.random()


@env.task(cache="auto")
async def cached() -> str:
    return datetime.now().isoformat()


@env.task(cache=flyte.Cache(behavior="auto"))
async def cached2() -> str:
    return uuid.uuid4().hex
"""
    src = HEAD + body
    ds = [d for d in check(src).diagnostics if d.code == "FLY304"]
    assert [d.severity.value for d in ds] == ["info", "warning", "warning"]


def test_suppression_on_source_line(check: CheckFn) -> None:
    body = """
@env.task
async def main() -> str:
    day = datetime.now().isoformat()  # flytec: ignore[FLY301]
    return await child(day)
"""
    assert found(check, body) == []


def test_launching_helper_in_other_module_is_reported_on_its_own(check: CheckFn) -> None:
    files = {
        "tasks.py": "import flyte\n\nenv = flyte.TaskEnvironment(name='t')\n\n\n"
                    "@env.task\nasync def work(x: str) -> str:\n    return x\n",
        "launcher.py": "import time\n\nimport flyte  # noqa: F401\nfrom tasks import work\n\n\n"
                       "async def launch() -> str:\n    return await work(str(time.time()))\n",
        "main.py": "import flyte\nfrom launcher import launch\n\nenv2 = flyte.TaskEnvironment("
                   "name='m')\n\n\n@env2.task\nasync def main() -> str:\n"
                   "    return await launch()\n",
    }
    for only in (None, ["launcher.py"]):
        ds = [(d.path, d.span.line) for d in check(files, only=only).diagnostics
              if d.code == "FLY301"]
        assert ds == [("launcher.py", 8)], only


def test_group_name_is_part_of_the_child_identity(check: CheckFn) -> None:
    body = """
@env.task
async def main() -> str:
    with flyte.group(f"batch-{uuid.uuid4().hex[:6]}"):
        return await child("x")
"""
    assert found(check, body) == [("FLY301", 4)]
