"""Defaults in signatures, keyword and positional calls."""

import flyte

env = flyte.TaskEnvironment(name="io_defaults")


@env.task
async def fmt(value: float, digits: int = 2, prefix: str = "$") -> str:
    return f"{prefix}{value:.{digits}f}"


@env.task
async def main(value: float = 3.14159) -> list[str]:
    return [await fmt(value), await fmt(value, 4), await fmt(value, prefix="EUR ")]

# parity: main
# parity: main {"value": 2.5}
