"""A for loop carrying a value from one iteration to the next, its last value used after."""

import flyte

env = flyte.TaskEnvironment(name="loop_carried")


@env.task
async def refine(draft: str, i: int) -> str:
    print("refine", i, draft)
    return f"{draft}+{i}"


@env.task
async def main(rounds: int) -> str:
    draft = "v0"
    for i in range(rounds):
        draft = await refine(draft, i)
        last = i
    print("last round", last)
    return draft

# parity: main {"rounds": 3}
# parity: main {"rounds": 0}
