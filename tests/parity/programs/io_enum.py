"""str Enums in and out."""

import enum

import flyte

env = flyte.TaskEnvironment(name="io_enum")


class Color(str, enum.Enum):
    RED = "red"
    GREEN = "green"


@env.task
async def complement(c: Color) -> Color:
    return Color.GREEN if c == Color.RED else Color.RED


@env.task
async def main(c: Color) -> str:
    out = await complement(c)
    print(type(out).__name__, out.value)
    return out.value

# parity: main {"c": "red"}
