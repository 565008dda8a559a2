"""Configuration context managers of SDK plugins around task calls (issue 16): their enter
is `flyte.custom_context(**config)`, so the plan gives their keys to the nodes inside. The
plugin is the stand-in of tests/runtime/stubs (conftest puts it on the path).
"""

# flytec-parity: configured --project p1 --entity team
# flytec-parity: configured --project p2
# flytec-parity: sweep_inside_config --method grid

import asyncio

import flyte
from flyteplugins.wandb import wandb_config, wandb_sweep_config

env = flyte.TaskEnvironment(name="config_contexts")


@env.task
async def seen() -> str:
    ctx = flyte.ctx()
    return ",".join(f"{k}={v}" for k, v in sorted(ctx.custom_context.items())) if ctx else "-"


@env.task
async def configured(project: str, entity: str | None = None) -> list[str]:
    """An entity left `None` is not a key; the calls outside the block see none of them."""
    before = await seen()
    with wandb_config(project=project, entity=entity, tags=["a", "b"]):
        inside = await seen()
        both = await asyncio.gather(seen(), seen())
        with flyte.custom_context(wandb_project="override"):
            nested = await seen()
    after = await seen()
    return [before, inside, *both, nested, after]


@env.task
async def sweep_inside_config(method: str) -> list[str]:
    with flyte.custom_context(wandb_project="outer", stage="one"):
        with wandb_config(project="inner"):
            with wandb_sweep_config(method=method):
                inner = await seen()
            middle = await seen()
        outer = await seen()
    return [inner, middle, outer]
