"""Parsing many files on several cores.

A cold ``flytec check`` of a large project spends most of its time in libcst's parser, one
file at a time. Files parse independently, so when enough of them miss the cache they are
split into chunks parsed by worker processes (forked, so the workers start with flytec and
libcst already imported), and their IR comes back pickled, as the IR cache stores it.

Parallelism is an optimisation only: with one core, few files, no ``fork`` start method
(Windows, macOS, where ``fork`` is unsafe), or when anything about the pool fails (a worker
killed, a pickling error), the files are parsed in this process instead, with the same
result.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

from flytec.model.module import ModuleIR

# Below this many files the pool costs more than it saves (forking and pickling the IR
# back cost about 0.5 ms per file against about 5 ms to parse one).
MIN_FILES = 24
MAX_JOBS = 8


class ParseJob(NamedTuple):
    """One file to parse: its bytes and how it is named."""

    key: str  # content key (the IR cache's)
    data: bytes
    shown: str
    module: str
    is_package: bool
    cache_file: str | None = None  # where the worker stores the IR (the IR cache), if any


def available_jobs(requested: int) -> int:
    """The number of processes to use: ``requested``, or when 0 one per core (at most 8)."""
    if requested > 0:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_JOBS))


def _fork_context() -> multiprocessing.context.BaseContext | None:
    if sys.platform == "darwin" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _parse_chunk(chunk: list[ParseJob]) -> list[tuple[str, ModuleIR]]:
    from pathlib import Path

    from flytec.compiler import ir_cache
    from flytec.compiler.frontend.parse import parse_bytes

    out = []
    for j in chunk:
        ir = parse_bytes(j.data, j.shown, j.module, j.is_package)
        if j.cache_file is not None:
            ir_cache.write(Path(j.cache_file), ir)
        out.append((j.key, ir))
    return out


# What the workers share with this process, set before they are forked (fork copies it):
# the chunks to parse and a counter from which every process claims the next chunk.
_CHUNKS: list[list[ParseJob]] = []
_NEXT: Any = None


def _claim() -> int:
    with _NEXT.get_lock():
        i: int = _NEXT.value
        _NEXT.value = i + 1
    return i


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process (which stops them), so an interrupt never
    prints a worker's traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work() -> list[tuple[str, ModuleIR]]:
    """A worker: parse chunks until none is left; the IR goes back pickled."""
    out: list[tuple[str, ModuleIR]] = []
    while (i := _claim()) < len(_CHUNKS):
        out.extend(_parse_chunk(_CHUNKS[i]))
    return out


def parse_in_parallel(jobs: Sequence[ParseJob], processes: int) -> dict[str, ModuleIR]:
    """Parse ``jobs`` with ``processes - 1`` worker processes and this one.

    Every process claims the next chunk from a shared counter, so when the workers are slow
    to start or the other cores are busy, this process simply parses more itself.
    Returns the IR of every file parsed, by key; files of a failed worker are absent (the
    caller parses them itself). Never raises for a pool failure.
    """
    global _CHUNKS, _NEXT
    ctx = _fork_context()
    if ctx is None or processes < 2 or len(jobs) < MIN_FILES:
        return {}
    from concurrent.futures import ProcessPoolExecutor

    # Large files first, then round-robin into small chunks, so the work balances.
    ordered = sorted(jobs, key=lambda j: -len(j.data))
    nchunks = min(len(ordered), processes * 8)
    out: dict[str, ModuleIR] = {}
    try:
        _CHUNKS = [ordered[i::nchunks] for i in range(nchunks)]
        _NEXT = ctx.Value("i", 0)
        with ProcessPoolExecutor(max_workers=processes - 1, mp_context=ctx,
                                 initializer=_worker_init) as pool:
            futures = [pool.submit(_work) for _ in range(processes - 1)]
            try:
                while (i := _claim()) < len(_CHUNKS):
                    out.update(_parse_chunk(_CHUNKS[i]))
                for fut in futures:
                    out.update(fut.result())
            except BaseException:  # Ctrl-C: the workers stop after their current chunk
                with _NEXT.get_lock():
                    _NEXT.value = len(_CHUNKS)
                raise
    except Exception:  # a broken pool, a pickling error: the caller parses the rest
        pass
    finally:
        _CHUNKS, _NEXT = [], None
    return out
