import flyte

env = flyte.TaskEnvironment(name="pkg")


@env.task
async def shout(word: str) -> str:
    return word.upper()
