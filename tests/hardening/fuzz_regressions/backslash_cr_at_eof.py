import flyte

env = flyte.TaskEnvironment(name="fuzz")


@env.task
async def leaf(x: int) -> int:
    return x



@env.task
async def main(x: int) -> int:
    return await leaf(x)
x = 1\
