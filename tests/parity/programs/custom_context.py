"""flyte.custom_context(...): the calls started inside the block see its keys."""

import asyncio

import flyte

env = flyte.TaskEnvironment(name="custom_context")


@env.task
async def seen() -> str:
    ctx = flyte.ctx()
    return ",".join(f"{k}={v}" for k, v in sorted(ctx.custom_context.items())) if ctx else "-"


@env.task
async def relay() -> str:
    return "relay:" + await seen()  # a sub-action of an action started inside: sees it too


@env.task
async def main(tag: str) -> list[str]:
    before = await seen()
    pending = seen()
    with flyte.custom_context(trace=tag, stage="inner"):
        inside = await seen()
        both = await asyncio.gather(seen(), pending, relay())
        with flyte.custom_context(stage="nested"):
            nested = await seen()
    after = await seen()
    return [before, inside, *both, nested, after]

# parity: main {"tag": "t1"}
