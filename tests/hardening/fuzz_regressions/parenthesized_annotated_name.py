import flyte

env = flyte.TaskEnvironment(name="fuzz")


@env.task
async def leaf(x: int) -> int:
    return x

(pars): bool = True


@env.task
async def main(x: int) -> int:
    return await leaf(x)
