"""``flyte.init*``, ``flyte.run``, ``flyte.with_runcontext``: all run locally with flytec."""

from __future__ import annotations

import asyncio
from typing import Any

from flyte import errors

_CONFIG: dict[str, Any] = {}


def init(*args: Any, **kwargs: Any) -> None:
    """Accepted; flytec always runs locally (no endpoint is contacted)."""
    _CONFIG.update(kwargs)


def init_from_config(path_or_config: Any = None, root_dir: Any = None, **kwargs: Any) -> None:
    _CONFIG.update(kwargs)


def init_from_api_key(*args: Any, **kwargs: Any) -> None:
    _CONFIG.update(kwargs)


def init_in_cluster(*args: Any, **kwargs: Any) -> None:
    _CONFIG.update(kwargs)


def init_passthrough(*args: Any, **kwargs: Any) -> None:
    _CONFIG.update(kwargs)


def current_project() -> str:
    return str(_CONFIG.get("project") or "local")


def current_domain() -> str:
    return str(_CONFIG.get("domain") or "development")


def is_control_plane_available() -> bool:
    return False


class ActionOutputs(tuple):
    """Outputs of a run: a tuple with ``o0``, ``o1``, ... attributes."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("o") and name[1:].isdigit() and int(name[1:]) < len(self):
            return self[int(name[1:])]
        raise AttributeError(name)


class Run:
    """A finished local run."""

    def __init__(self, outcome: Any) -> None:
        self._outcome = outcome
        self.name = outcome.run_id
        self.url = str(outcome.run_dir)
        self.phase = outcome.status

    @property
    def status(self) -> str:
        return self._outcome.status

    @property
    def done(self) -> bool:
        return True

    def wait(self, *args: Any, **kwargs: Any) -> None:
        return None

    def result(self) -> Any:
        if self._outcome.status != "SUCCEEDED":
            raise errors.RuntimeUserError("RunFailed", self._outcome.error or "run failed")
        return self._outcome.result

    def outputs(self) -> ActionOutputs:
        value = self.result()
        return ActionOutputs(value if isinstance(value, tuple) else (value,))

    def __repr__(self) -> str:
        return f"Run(name={self.name!r}, status={self.status!r}, url={self.url!r})"


class _Runner:
    def __init__(
        self,
        mode: str | None = None,
        *,
        name: str | None = None,
        overwrite_cache: bool = False,
        disable_run_cache: bool = False,
        max_action_concurrency: int = 0,
        **kwargs: Any,
    ) -> None:
        if max_action_concurrency == 1:
            raise ValueError("max_action_concurrency must be 0 or >= 2")
        self._name = name
        self._cache_mode = (
            "off" if disable_run_cache else ("overwrite" if overwrite_cache else "use")
        )
        self._concurrency = max_action_concurrency

    def _execute(self, task: Any, args: tuple, kwargs: dict[str, Any]) -> Run:
        if not getattr(task, "_flytec_is_task", False):
            if getattr(task, "_flytec_lazy", False):
                task = task._resolve()
            else:
                raise TypeError(f"flyte.run needs a task, got {type(task).__name__}")
        from flytec.runtime.controller import Controller
        from flytec.runtime.runner import execute_template

        kw = Controller.spec(task).bind(tuple(args), dict(kwargs))
        outcome = execute_template(
            task,
            kw,
            run_id=self._name,
            cache_mode=self._cache_mode,
            max_concurrency=self._concurrency,
        )
        if outcome.status == "FAILED" and outcome.exception is not None:
            raise outcome.exception  # as the SDK's local mode: run() raises the task's error
        return Run(outcome)

    def run(self, task: Any, *args: Any, **kwargs: Any) -> Run:
        return self._execute(task, args, kwargs)

    async def _run_aio(self, task: Any, *args: Any, **kwargs: Any) -> Run:
        return await asyncio.to_thread(self._execute, task, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)


class _RunFn:
    """``flyte.run(task, ...)``; ``await flyte.run.aio(task, ...)``."""

    def __call__(self, task: Any, *args: Any, **kwargs: Any) -> Run:
        return _Runner().run(task, *args, **kwargs)

    async def aio(self, task: Any, *args: Any, **kwargs: Any) -> Run:
        return await _Runner()._run_aio(task, *args, **kwargs)


run = _RunFn()


class _RunnerWithAio(_Runner):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runner = self

        class _Run:
            def __call__(self, task: Any, *a: Any, **k: Any) -> Run:
                return runner._execute(task, a, k)

            async def aio(self, task: Any, *a: Any, **k: Any) -> Run:
                return await runner._run_aio(task, *a, **k)

        self.run = _Run()  # type: ignore[method-assign]


def with_runcontext(mode: str | None = None, **kwargs: Any) -> _Runner:
    return _RunnerWithAio(mode, **kwargs)


def rerun(run_name: str, action_name: str = "a0", recover: bool = False, **inputs: Any) -> Run:
    raise errors.RuntimeUserError("NotSupported", "flyte.rerun: use `flytec run --resume RUN_ID`")


def deploy(*envs: Any, **kwargs: Any) -> list:
    """Accepted; flytec does not deploy (use `flytec build`)."""
    return []


def build_images(*envs: Any, **kwargs: Any) -> Any:
    return None


def build(*args: Any, **kwargs: Any) -> Any:
    return None
