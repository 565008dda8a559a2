"""A user-defined exception class: its name is the error code."""

import flyte

env = flyte.TaskEnvironment(name="error_custom")


class QuotaExceeded(Exception):
    pass


@env.task
async def spend(amount: int) -> int:
    if amount > 100:
        raise QuotaExceeded(f"{amount} is over the quota")
    return 100 - amount


@env.task
async def main(amount: int) -> int:
    return await spend(amount)

# parity: main {"amount": 500}
