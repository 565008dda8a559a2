"""An async-generator trace consumed with async for."""

import flyte

env = flyte.TaskEnvironment(name="trace_async_gen")


@flyte.trace
async def tokens(text: str):
    for word in text.split():
        yield word.lower()


@env.task
async def main(text: str) -> list[str]:
    out = []
    async for t in tokens(text):
        out.append(t)
    return out

# parity: main {"text": "Hello Big World"}
