"""A sync root task raising."""

import flyte

env = flyte.TaskEnvironment(name="error_sync_root")


@env.task
def main(items: list[str]) -> str:
    print(f"{len(items)} items")
    return items[5]

# parity: main {"items": ["a"]}
