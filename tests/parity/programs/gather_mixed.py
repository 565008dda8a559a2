"""gather over different tasks; the results unpack in order."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="gather_mixed")


@env.task
async def count_words(text: str) -> int:
    return len(text.split())


@env.task
async def shout(text: str) -> str:
    return text.upper()


@env.task
async def first_char(text: str) -> str:
    return text[:1]


@env.task
async def main(text: str) -> dict[str, str]:
    words, loud, first = await asyncio.gather(count_words(text), shout(text), first_char(text))
    return {"words": str(words), "loud": loud, "first": first}

# parity: main {"text": "the quick brown fox"}
