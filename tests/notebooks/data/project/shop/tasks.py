"""Tasks of the project, used by the notebook."""

import flyte

env = flyte.TaskEnvironment(name="shop")


@env.task
async def fetch(url: str) -> str:
    return f"<html>{url}</html>"


@env.task
def parse(page: str) -> int:
    """A sync task."""
    return len(page)
