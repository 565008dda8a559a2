"""Files and directories between tasks: a log, split by level, then counted.

``flyte.io.File`` and ``Dir`` are passed by reference. A task writes
ordinary local files and returns ``await File.from_local(path)`` (or
``Dir.from_local``); Flyte uploads them, and the task that receives the
reference downloads or walks it where it runs. Only the counts at the end
are plain values. Files are streamed line by line, never read whole.

``archive`` writes one log per batch in a fan-out and counts them in
another: fine for Flyte, but Argo cannot collect files from parallel pods,
so ``flytec build --target argo`` runs it as one pod.
"""

# flytec-example: run main --lines '["INFO start", "WARN disk at 91%", "INFO retry ok", "ERROR upstream timeout", "INFO done"]'
# flytec-expect: {"ERROR": 1, "INFO": 3, "WARN": 1, "levels": 3, "lines": 5}

import asyncio
import os
import tempfile

import flyte
from flyte.io import Dir, File

env = flyte.TaskEnvironment(
    name="files",
    resources=flyte.Resources(cpu=1, memory="500Mi"),
)


@env.task
async def write_log(lines: list[str]) -> File:
    """The raw log: one line per entry, "LEVEL message"."""
    path = os.path.join(tempfile.mkdtemp(), "app.log")
    with open(path, "w") as fh:
        for line in lines:
            fh.write(line + "\n")
    return await File.from_local(path)


@env.task
async def split_by_level(log: File) -> tuple[Dir, int]:
    """One file per level (``ERROR.log``, ``INFO.log``...) and how many levels there are."""
    local = await log.download()
    out = tempfile.mkdtemp()
    levels = set()
    with open(local) as fh:
        for line in fh:
            level = line.split(" ", 1)[0]
            levels.add(level)
            with open(os.path.join(out, f"{level}.log"), "a") as part:
                part.write(line)
    return await Dir.from_local(out), len(levels)


@env.task
async def count_lines(levels: Dir, log: File) -> dict[str, int]:
    """Lines per level, and in the whole log (nothing may get lost in the split)."""
    counts = {}
    async for part in levels.walk():
        with open(await part.download()) as fh:
            counts[part.name.removesuffix(".log")] = sum(1 for _ in fh)
    with open(await log.download()) as fh:
        counts["lines"] = sum(1 for _ in fh)
    return counts


@env.task
async def main(lines: list[str]) -> dict[str, int]:
    """Write the log, split it, count it."""
    log = await write_log(lines)
    levels, n_levels = await split_by_level(log)
    counts = await count_lines(levels, log)
    return {**counts, "levels": n_levels}


@env.task
async def line_count(log: File) -> int:
    """Lines in one log."""
    with open(await log.download()) as fh:
        return sum(1 for _ in fh)


@env.task
async def archive(batches: list[list[str]]) -> int:
    """One log per batch, written in parallel, then counted in parallel."""
    logs = await asyncio.gather(*[write_log(batch) for batch in batches])
    counts = await asyncio.gather(*[line_count(log) for log in logs])
    return sum(counts)


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, lines=["INFO start", "ERROR upstream timeout", "INFO done"])
    print(r.url)
