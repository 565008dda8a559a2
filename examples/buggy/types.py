"""Type errors between tasks.

In Flyte 2 the "workflow" is ordinary Python run at run time, so nothing
checks task-to-task calls before the run starts. These mistakes surface only
when the offending line executes (possibly hours into a run) -- or never:
an unknown keyword for a parameter that has a default is silently dropped.
"""

# flytec-example: check-only

import flyte

env = flyte.TaskEnvironment(name="buggy_types", resources=flyte.Resources(cpu=1, memory="500Mi"))


@env.task
async def read_row_count(path: str) -> str:
    """Returns the count as text, as read from a manifest."""
    return str(len(path) * 100)


@env.task
async def make_batches(n_rows: int, batch_size: int = 50) -> list[int]:
    return [min(batch_size, n_rows - start) for start in range(0, n_rows, batch_size)]


@env.task
async def resize(image_id: str, width: int, height: int = 128) -> str:
    return f"{image_id}@{width}x{height}"


@env.task
async def stats(values: list[float]) -> tuple[float, float, int]:
    """Three outputs: mean, max, count."""
    return sum(values) / len(values), max(values), len(values)


@env.task
def checksum(data: str) -> int:
    """A sync task."""
    return sum(data.encode()) % 65_536


@env.task
async def batches_from_manifest(path: str) -> list[int]:
    n_rows = await read_row_count(path)
    return await make_batches(n_rows)  # BUG(arg-type): read_row_count returns str but make_batches.n_rows is int ("Type conversion failed")


@env.task
async def batches_from_manifest_ok(path: str) -> list[int]:
    n_rows = await read_row_count(path)
    return await make_batches(int(n_rows))  # OK: converted


@env.task
async def thumbnail(image_id: str) -> str:
    return await resize(image_id, 256, hieght=256)  # BUG(unknown-kwarg): resize has no parameter `hieght`; it is silently dropped and the default height=128 is used


@env.task
async def thumbnail_missing(image_id: str) -> str:
    return await resize(image_id=image_id)  # BUG(missing-arg): required parameter `width` not passed ("Missing required inputs: width")


@env.task
async def summary(values: list[float]) -> float:
    mean, peak = await stats(values)  # BUG(tuple-arity): stats has 3 outputs (mean, max, count), unpacked into 2
    return mean + peak


@env.task
async def summary_ok(values: list[float]) -> float:
    mean, peak, _count = await stats(values)  # OK
    return mean + peak


@env.task
async def verify(data: str) -> int:
    return await checksum(data)  # BUG(await-sync-task): checksum is a sync task; awaiting its call fails -- use `await checksum.aio(data)`


@env.task
async def main(path: str, values: list[float]) -> float:
    batches = await batches_from_manifest(path)
    thumb = await thumbnail("img-1")
    total = await summary(values)
    return total + len(batches) + len(thumb) + await verify(path)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, path="s3://bucket/manifest.json", values=[1.0, 2.0, 3.0])
    print(r.url)
