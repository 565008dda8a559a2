"""try/except/finally around task calls."""

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="try_finally")


@env.task
async def risky(x: int) -> int:
    if x == 0:
        raise ZeroDivisionError("division by zero")
    return 10 // x


@env.task
async def cleanup(tag: str) -> str:
    print(f"cleanup {tag}")
    return tag


@env.task
async def main(x: int) -> str:
    try:
        value = await risky(x)
        outcome = f"value {value}"
    except flyte.errors.RuntimeUserError as exc:
        outcome = f"failed with {exc.code}"
    finally:
        await cleanup("always")
    return outcome

# parity: main {"x": 2}
# parity: main {"x": 0}
