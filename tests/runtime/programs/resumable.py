"""For the crash test: three steps that count their executions, then a step that waits for a
marker file (the test kills the process while it waits)."""

# flytec-parity-skip: its main waits for a marker file that the crash tests write

import asyncio
import os
from pathlib import Path

import flyte

env = flyte.TaskEnvironment(name="resumable")


def _bump(name: str) -> int:
    path = Path(os.environ["COUNTER_DIR"]) / name
    n = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(n))
    return n


@flyte.trace
async def stamp(label: str) -> str:
    _bump(f"trace-{label}")
    return f"stamped-{label}"


@env.task
async def step(i: int) -> int:
    _bump(f"step-{i}")
    return i * 10


@env.task
async def wait_for_marker() -> str:
    _bump("wait")
    marker = Path(os.environ["COUNTER_DIR"]) / "go"
    (Path(os.environ["COUNTER_DIR"]) / "waiting").write_text("1")
    while not marker.exists():
        await asyncio.sleep(0.05)
    return "released"


@env.task
async def main(n: int) -> dict:
    label = await stamp("start")
    values = await asyncio.gather(*[step(i) for i in range(n)])
    released = await wait_for_marker()
    return {"label": label, "values": list(values), "released": released}
