"""@flyte.trace inside a task, and a cached task (executions counted in files)."""

# flytec-parity: main --x 3 --note a
# flytec-parity: nested_task_in_trace
# flytec-parity: fetch_task

import os
from pathlib import Path

import flyte

env = flyte.TaskEnvironment(name="traced")


def _bump(name: str) -> int:
    path = Path(os.environ["COUNTER_DIR"]) / name
    n = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(n))
    return n


@flyte.trace
async def fetch(url: str) -> str:
    _bump("fetch")
    return url.upper()


@flyte.trace
def pick(options: list[str]) -> str:
    return sorted(options)[0]


@env.task(cache=flyte.Cache(behavior="auto", ignored_inputs=("note",)))
async def expensive(x: int, note: str = "") -> int:
    _bump(f"expensive-{x}")
    return x * x


@env.task(cache=flyte.Cache(behavior="override", version_override="v1", salt="s"))
def pinned(x: int) -> int:
    _bump(f"pinned-{x}")
    return x + 1


@env.task
async def main(x: int, note: str = "") -> dict:
    page = await fetch("a.example")
    choice = pick(["b", "a"])
    sq = await expensive(x, note)
    return {"page": page, "choice": choice, "square": sq, "pinned": await pinned.aio(x)}


@env.task
async def nested_task_in_trace() -> str:
    return await bad_trace()


@flyte.trace
async def bad_trace() -> str:
    return await fetch_task()


@env.task
async def fetch_task() -> str:
    return "x"
