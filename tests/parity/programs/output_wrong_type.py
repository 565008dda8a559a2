"""Outputs are checked against the annotation at the task boundary."""

import flyte

env = flyte.TaskEnvironment(name="output_wrong_type")


@env.task
async def count(text: str) -> int:
    return text  # type: ignore[return-value]


@env.task
async def as_list(n: int) -> list[int]:
    return [*range(n), "last"]  # type: ignore[list-item]


@env.task
async def lenient(x: int) -> float:
    return x


@env.task
async def main(text: str) -> int:
    return await count(text)

# parity: main {"text": "abc"}
# parity: as_list {"n": 2}
# parity: lenient {"x": 3}
