"""Worker processes for ``--processes N``: sync leaf tasks run here for real parallelism.

Each worker installs the shim, imports the user's module from its path under the same module
name as the parent process (so results and exceptions pickle by reference), and calls task
functions directly; a worker has no run context, so anything a task calls there runs inline.
"""

from __future__ import annotations

import importlib
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

_TASKS: dict[str, Any] = {}


def _init(module_name: str, path: str) -> None:
    from flytec.runtime.loader import install_shim, load_module

    install_shim()
    module = load_module(path)
    assert module.__name__ == module_name, (module.__name__, module_name)
    _TASKS.update(importlib.import_module("flyte")._task_registry())  # the shim's


def call_task(name: str, kwargs: dict[str, Any]) -> Any:
    template = _TASKS[name]
    return template.func(**kwargs)


def process_pool_factory(module_name: str, path: str) -> Any:
    """A factory of process pools whose workers have the user's module loaded."""

    def make(n: int) -> Executor:
        return ProcessPoolExecutor(
            max_workers=n,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(module_name, path),
        )

    return make
