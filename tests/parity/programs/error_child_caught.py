"""A child's exception arrives as RuntimeUserError with the original class as its code."""

import flyte
import flyte.errors

env = flyte.TaskEnvironment(name="error_child_caught")


@env.task
async def lookup(key: str) -> int:
    return {"a": 1}[key]


@env.task
async def main(key: str) -> str:
    try:
        return str(await lookup(key))
    except KeyError:
        return "KeyError caught directly"
    except flyte.errors.RuntimeUserError as exc:
        return f"{type(exc).__name__} code={exc.code} message={exc}"

# parity: main {"key": "a"}
# parity: main {"key": "zz"}
