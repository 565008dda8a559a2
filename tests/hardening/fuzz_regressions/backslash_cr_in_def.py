import flyte

env = flyte.TaskEnvironment(name="fuzz")


@env.task
async def leaf(x: int) -> int:
    return x

def A():  \
 pass


@env.task
async def main(x: int) -> int:
    return await leaf(x)
