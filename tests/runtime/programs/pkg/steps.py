# flytec-parity-skip: the tasks of pkg/flow.py

import flyte

env = flyte.TaskEnvironment(name="pkg")


@env.task
async def shout(word: str) -> str:
    return word.upper()
