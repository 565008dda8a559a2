"""``ContainerTask``s built in a task's body from literal arguments (issue 16): called as a
module-level one is, so the task stays static. Locally a ContainerTask is the runtime's
stand-in (its call returns ``None``); run both ways by tests/runtime/test_static_parity.py.
"""

# flytec-parity: module_level --x 2
# flytec-parity: in_body --x 3
# flytec-parity: in_body_with_kwargs --x 1
# flytec-parity: in_a_helper --n 2
# flytec-parity: after_a_guard --x 0
# flytec-parity: after_a_guard --x 4

import flyte
import flyte.io
from flyte.extras import ContainerTask

env = flyte.TaskEnvironment(name="containers")

IMAGE = "alpine:3.18"

module_task = ContainerTask(
    name="echo_module",
    image=IMAGE,
    inputs={"name": str},
    outputs={"greeting": str},
    command=["/bin/sh", "-c", "echo {{.inputs.name}}"],
)


@env.task
async def double(x: int) -> int:
    print("double", x)
    return x * 2


@env.task
async def module_level(x: int) -> int:
    print("before")
    g = await module_task(name="a")
    print("got", g)
    return await double(x)


@env.task
async def in_body(x: int) -> int:
    print("before")
    greet = ContainerTask(
        name="echo_local",
        image=IMAGE,
        input_data_dir="/var/inputs",
        output_data_dir="/var/outputs",
        inputs={"name": str, "n": int},
        outputs={"greeting": str},
        command=["/bin/sh", "-c", "echo {{.inputs.name}} {{.inputs.n}}"],
    )
    g = await greet(name="a", n=x)
    print("got", g)
    return await double(x + len(str(g)))


@env.task
async def in_body_with_kwargs(x: int) -> int:
    runner = ContainerTask(
        name="runner",
        image=flyte.Image.from_debian_base(),
        inputs={"script": flyte.io.File, "a": int},
        outputs={"result": int},
        command=["/bin/sh", "-c", "cat /var/inputs/script"],
        resources=flyte.Resources(cpu=1, memory="1Gi"),
    )
    kwargs = {"script": None, "a": x}
    r = await runner(**kwargs)
    return await double(x if r is None else 0)


async def echo_twice(n: int) -> list[int]:
    echo = ContainerTask(name="echo", image=IMAGE, inputs={"n": int}, outputs={"n": int},
                         command=["echo"])
    out = []
    for i in range(n):
        out.append(await echo(n=i))
    print("echoed", out)
    return [await double(i) for i in range(n)]


@env.task
async def in_a_helper(n: int) -> list[int]:
    return await echo_twice(n)


@env.task
async def after_a_guard(x: int) -> int:
    if x == 0:
        return -1
    check = ContainerTask(name="check", image=IMAGE, inputs={"x": int}, outputs={"ok": bool},
                          command=["true"])
    ok = await check(x=x)
    print("ok", ok)
    return await double(x)
