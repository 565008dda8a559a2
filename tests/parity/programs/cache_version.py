"""Cache(version_override=...) with a salt."""

import flyte

env = flyte.TaskEnvironment(name="cache_version")


@env.task(cache=flyte.Cache(behavior="auto", version_override="v1", salt="s"))
async def fetch(key: str) -> str:
    print(f"fetch {key}")
    return key[::-1]


@env.task
async def main(keys: list[str]) -> list[str]:
    return [await fetch(k) for k in keys]

# parity: main {"keys": ["ab", "cd", "ab"]}
