"""``flyte.remote``: ``Task.get(name)`` resolves to the local task of that name when one exists."""

from __future__ import annotations

from typing import Any

from flyte import errors
from flyte._standin import module_getattr


class LazyEntity:
    """A reference to a deployed task; calls run the local task of the same name."""

    _flytec_lazy = True

    def __init__(self, name: str, overrides: dict | None = None) -> None:
        self.name = name
        self._overrides = overrides or {}

    def _resolve(self) -> Any:
        from flyte._task import task_registry

        task = task_registry().get(self.name)
        if task is None:
            raise errors.RemoteTaskNotFoundError(
                f"Task {self.name} not found (flytec resolves remote tasks to local tasks "
                "of the same name)"
            )
        return task.override(**self._overrides) if self._overrides else task

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise errors.RemoteTaskUsageError(
                f"Remote task {self.name} must be called with keyword arguments only"
            )
        return self._resolve()(**kwargs)

    def aio(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise errors.RemoteTaskUsageError(
                f"Remote task {self.name} must be called with keyword arguments only"
            )
        return self._resolve().aio(**kwargs)

    def override(self, **kwargs: Any) -> LazyEntity:
        return LazyEntity(self.name, {**self._overrides, **kwargs})

    async def fetch(self) -> LazyEntity:
        return self

    def __repr__(self) -> str:
        return f"<remote task {self.name}>"


class Task:
    @classmethod
    def get(
        cls,
        name: str,
        project: str | None = None,
        domain: str | None = None,
        version: str | None = None,
        auto_version: str | None = None,
    ) -> LazyEntity:
        if version is None and auto_version is None:
            raise ValueError("Either version or auto_version must be provided")
        return LazyEntity(name)


TaskDetails = LazyEntity

__getattr__ = module_getattr(__name__)
