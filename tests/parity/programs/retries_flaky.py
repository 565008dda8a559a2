"""A task that fails once, then succeeds on its retry."""

import flyte

env = flyte.TaskEnvironment(name="retries_flaky")
ATTEMPTS: dict[str, int] = {}


@env.task(retries=2)
async def flaky(key: str) -> str:
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    print(f"attempt {ATTEMPTS[key]} for {key}")
    if ATTEMPTS[key] < 2:
        raise ConnectionError("transient")
    return f"{key} ok after {ATTEMPTS[key]}"


@env.task
async def main(key: str) -> str:
    return await flaky(key)

# parity: main {"key": "alpha"}
