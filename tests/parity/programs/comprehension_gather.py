"""gather over a dict comprehension's values, rebuilt into a dict."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="comprehension_gather")


@env.task
async def length(word: str) -> int:
    return len(word)


@env.task
async def main(words: list[str]) -> dict[str, int]:
    coros = {w: length(w) for w in words}
    values = await asyncio.gather(*coros.values())
    return dict(zip(coros.keys(), values))

# parity: main {"words": ["kiwi", "fig", "banana"]}
