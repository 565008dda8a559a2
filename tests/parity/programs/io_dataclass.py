"""Dataclasses in and out, nested."""

from dataclasses import dataclass, field

import flyte

env = flyte.TaskEnvironment(name="io_dataclass")


@dataclass
class Point:
    x: float
    y: float


@dataclass
class Shape:
    name: str
    points: list[Point] = field(default_factory=list)


@env.task
async def translate(shape: Shape, dx: float) -> Shape:
    return Shape(shape.name + "'", [Point(p.x + dx, p.y) for p in shape.points])


@env.task
async def main(shape: Shape) -> Shape:
    moved = await translate(shape, 1.5)
    print(type(moved).__name__, len(moved.points))
    return moved

# parity: main {"shape": {"name": "tri", "points": [{"x": 0, "y": 0}, {"x": 1, "y": 2}]}}
