"""A trace that raises: the caller sees the trace's own exception."""

import flyte

env = flyte.TaskEnvironment(name="trace_error")


@flyte.trace
async def parse(text: str) -> int:
    return int(text)


@env.task
async def main(text: str) -> str:
    try:
        return str(await parse(text))
    except ValueError as exc:
        return f"ValueError caught: {exc}"
    except Exception as exc:
        return f"{type(exc).__name__} caught"

# parity: main {"text": "12"}
# parity: main {"text": "twelve"}
