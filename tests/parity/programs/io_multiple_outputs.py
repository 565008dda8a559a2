"""A tuple return annotation means several outputs."""

import flyte

env = flyte.TaskEnvironment(name="io_multiple_outputs")


@env.task
async def split(text: str) -> tuple[str, int]:
    head, _, tail = text.partition(" ")
    return head, len(tail)


@env.task
async def main(text: str) -> tuple[str, int, bool]:
    head, n = await split(text)
    return head.upper(), n, n > 3

# parity: main {"text": "hello wide world"}
# parity: split {"text": "a b"}
