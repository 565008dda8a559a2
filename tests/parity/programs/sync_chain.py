"""Sync tasks calling sync tasks."""

import flyte

env = flyte.TaskEnvironment(name="sync_chain")


@env.task
def clean(text: str) -> str:
    return text.strip().lower()


@env.task
def words(text: str) -> list[str]:
    return clean(text).split()


@env.task
def main(text: str) -> int:
    ws = words(text)
    print(ws)
    return len(ws)

# parity: main {"text": "  One Two THREE "}
