"""Calling a task inside a trace is refused."""

import flyte

env = flyte.TaskEnvironment(name="trace_nested_task")


@env.task
async def leaf(x: int) -> int:
    return x


@flyte.trace
async def helper(x: int) -> int:
    return await leaf(x)


@env.task
async def main(x: int) -> str:
    try:
        await helper(x)
    except flyte.errors.TraceDoesNotAllowNestedTasksError:
        return "refused"
    return "allowed"

# parity: main {"x": 1}
