"""Odds and ends: dataclass inputs, remote refs, groups, override, ctx, stand-ins, durable."""

# flytec-parity: main --points '[{"x": 1, "y": -2}, {"x": 3, "y": 4}]' --scale 2.0
# flytec-parity: read_back --text hello
# flytec-parity: missing_ref
# flytec-parity: grouped

import asyncio
from dataclasses import dataclass

import flyte
import flyte.durable
import flyte.remote
from flyte.io import File

env = flyte.TaskEnvironment(
    name="features",
    image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("pandas"),
    secrets=[flyte.Secret(key="api-key")],
    reusable=flyte.ReusePolicy(replicas=2, idle_ttl=60),
)
trigger = flyte.Trigger("nightly", flyte.Cron("0 0 * * *"))


@dataclass
class Point:
    x: int
    y: int


@env.task
async def norm(p: Point) -> int:
    return abs(p.x) + abs(p.y)


@env.task
async def shift(p: Point, dx: int = 1) -> Point:
    return Point(p.x + dx, p.y)


@env.task
async def main(points: list[Point], scale: float = 1.0) -> dict:
    ref = flyte.remote.Task.get("features.norm", auto_version="latest")
    with flyte.group("norms"):
        norms = await asyncio.gather(*[norm(p) for p in points])
    via_ref = await ref(p=points[0])
    moved = await shift.override(retries=0, resources=flyte.Resources(cpu=2))(points[0], dx=5)
    when = await flyte.durable.time.aio()
    return {
        "norms": [n * scale for n in norms],
        "ref": via_ref,
        "moved": moved,
        "has_ctx": flyte.ctx() is not None,
        "durable_time": when > 0,
    }


@env.task
async def write_file(text: str) -> File:
    f = File.new_remote("out.txt")
    async with f.open("wb") as fh:
        await fh.write(text.encode())
    return f


@env.task
async def read_back(text: str) -> str:
    f = await write_file(text)
    async with f.open("rb") as fh:
        return (await fh.read()).decode()


@env.task
async def missing_ref() -> str:
    ref = flyte.remote.Task.get("nowhere.task", auto_version="latest")
    try:
        await ref(x=1)
    except flyte.errors.RemoteTaskNotFoundError as e:
        return e.code
    return "found"


@env.task
async def inner() -> str:
    ctx = flyte.ctx()
    return ctx.group_data.name if ctx and ctx.group_data else "none"


@env.task
async def grouped() -> list[str]:
    with flyte.group("outer"):
        seen_inside = flyte.ctx().group_data.name
        child_sees = await inner()
    return [seen_inside, child_sees]
