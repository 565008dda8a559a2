"""An async @flyte.trace helper called from a task."""

import flyte

env = flyte.TaskEnvironment(name="trace_async")


@flyte.trace
async def summarize(words: list[str]) -> str:
    return " ".join(w.capitalize() for w in words)


@env.task
async def main(words: list[str]) -> str:
    s = await summarize(words)
    print("summary:", s)
    return s

# parity: main {"words": ["a", "b", "c"]}
