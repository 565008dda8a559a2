# flytec-parity: main --words '["a", "b"]' --sep '"-"'

import asyncio

from .steps import env, shout


@env.task
async def main(words: list[str], sep: str = " ") -> str:
    return sep.join(await asyncio.gather(*[shout(w) for w in words]))
