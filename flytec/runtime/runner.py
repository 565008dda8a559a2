"""One run, start to finish: load the code, parse inputs, execute the root task, record it all.

Library API (used by the CLI, by the shim's ``flyte.run`` and by tests)::

    outcome = execute(RunOptions(target="prog.py::main", input_tokens=["--n", "3"]))
    outcome.status, outcome.result, outcome.run_id
"""

from __future__ import annotations

import asyncio
import json
import pickle
import secrets
import sqlite3
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flytec.cache_trust import seal, unseal
from flytec.model.plan import Plan
from flytec.runtime import errors_bridge
from flytec.runtime.controller import Controller
from flytec.runtime.errors import RuntimeUsageError
from flytec.runtime.execution import DYNAMIC, Execution, choose
from flytec.runtime.inputs import inputs_json, parse_inputs
from flytec.runtime.journal import JournalWriter
from flytec.runtime.loader import find_task, load_module, module_name_for
from flytec.runtime.logs import LogCapture
from flytec.runtime.outputs import to_jsonable
from flytec.runtime.paths import store_dir
from flytec.runtime.plan import is_plan_path, read_plan
from flytec.runtime.planning import build_plan
from flytec.runtime.progress import Progress, ProgressDisplay
from flytec.runtime.store import Store
from flytec.runtime.workers import process_pool_factory


@dataclass
class RunOptions:
    """What to run and how: ``target`` is ``file.py::task``, ``file.py`` (+ ``task``) or a plan."""

    target: str = ""
    task: str | None = None
    input_tokens: list[str] = field(default_factory=list)
    inputs: dict[str, Any] | None = None  # already-typed inputs (instead of tokens)
    store: str | None = None
    resume: str | None = None
    run_id: str | None = None
    cache_mode: str = "use"  # use | overwrite | off
    max_concurrency: int = 0
    threads: int = 64
    processes: int = 0
    progress: bool = True
    capture_logs: bool = True
    dynamic: bool = False  # run the task's body even when its plan is static


@dataclass
class RunOutcome:
    run_id: str
    status: str  # SUCCEEDED | FAILED | ABORTED
    result: Any = None
    error: str | None = None
    duration: float = 0.0
    run_dir: Path | None = None
    progress: Progress | None = None
    execution: Execution | None = None
    exception: BaseException | None = None  # a failed run's error, as the SDK raises it

    @property
    def error_class(self) -> str | None:
        """``flyte.errors.RuntimeUserError`` ...: the class of a failed run's error."""
        return errors_bridge.error_class(self.exception) if self.exception is not None else None


@dataclass
class _Target:
    source: Path
    task: str
    code_version: str | None
    display: str
    plan: Plan | None = None
    note: str | None = None  # why there is no plan
    code_versions: dict[str, str] = field(default_factory=dict)
    project_root: Path | None = None
    from_plan_file: bool = False


def new_run_id() -> str:
    return "r" + time.strftime("%m%d%H%M%S") + secrets.token_hex(2)


def resolve_target(target: str, task: str | None) -> _Target:
    """``file.py::task``, ``file.py task`` or ``x.plan.json`` -> source file and task name."""
    if is_plan_path(target) and task is None:
        ref = read_plan(target)
        return _Target(ref.source_path, ref.task, ref.code_hash, target, ref.plan,
                       from_plan_file=True)
    path, sep, name = target.partition("::")
    name = name if sep else (task or "")
    if sep and task:
        raise RuntimeUsageError(f"task given twice: '{target}' and '{task}'")
    if not name:
        raise RuntimeUsageError(f"no task given: use {path}::TASK or {path} TASK")
    return _Target(Path(path), name, None, f"{path}::{name}")


def _with_plan(target: _Target) -> _Target:
    """A ``file.py::task`` target gets the plan (and code hashes) built in-process."""
    if target.from_plan_file or not target.source.is_file():
        return target
    built = build_plan(target.source, target.task)
    target.plan, target.note = built.plan, built.note
    target.code_versions, target.project_root = built.code_versions, built.project_root
    return target


def open_store(explicit: str | None) -> Store:
    """The run store (a corrupt one is set aside by Store); one that cannot be opened at all
    (no permission, a folder in its place) is a usage error, not a traceback."""
    root = store_dir(explicit)
    try:
        return Store(root)
    except (sqlite3.Error, OSError) as exc:
        raise RuntimeUsageError(f"cannot open the run store {root}: {exc}") from None


def execute(opts: RunOptions) -> RunOutcome:
    """Run a task to completion (raises RuntimeUsageError for bad input)."""
    store = open_store(opts.store)
    try:
        return _execute(opts, store)
    finally:
        store.close()


def _execute(opts: RunOptions, store: Store) -> RunOutcome:
    resumed = opts.resume is not None
    if opts.resume is not None:
        row = store.get_run(opts.resume)
        if row is None:
            raise RuntimeUsageError(f"unknown run '{opts.resume}' (see `flytec runs list`)")
        run_id = row.run_id
        if row.options.get("plan_file") and is_plan_path(row.options["plan_file"]):
            target = resolve_target(row.options["plan_file"], None)
        else:
            target = _Target(Path(row.source), row.task, row.options.get("code_version"),
                             row.target)
        opts.cache_mode = row.options.get("cache_mode", opts.cache_mode)
        opts.dynamic = row.options.get("execution") == DYNAMIC
    else:
        target = resolve_target(opts.target, opts.task)
        run_id = opts.run_id or new_run_id()
        if store.get_run(run_id) is not None:
            raise RuntimeUsageError(f"run '{run_id}' exists already (use --resume {run_id})")

    target = _with_plan(target)
    module = load_module(target.source)
    template = find_task(module, target.task, str(target.source))
    root, execution = choose(template, target.plan, target.note, force_dynamic=opts.dynamic,
                             project_root=target.project_root)
    if target.from_plan_file and execution.fallback:  # said, never silent
        print(f"flytec: warning: the plan {target.display} cannot run as a graph here "
              f"({execution.note}); running the task's Python body instead", file=sys.stderr,
              flush=True)
    run_dir = store.run_dir(run_id)
    run_dir.mkdir(parents=True, exist_ok=True)

    if resumed:
        kwargs = _read_inputs(run_dir, run_id)
        store.restart_run(run_id)
    else:
        if opts.inputs is not None:
            kwargs = dict(opts.inputs)
        else:
            kwargs = parse_inputs(template.func, opts.input_tokens, template.name)
        _write_inputs(run_dir, kwargs)
        options = {"code_version": target.code_version, "cache_mode": opts.cache_mode,
                   **execution.record()}
        if target.from_plan_file:
            options["plan_file"] = str(Path(target.display).resolve())
        store.create_run(
            run_id,
            target.display,
            str(target.source.resolve()),
            template.name,
            inputs_json(kwargs),
            options,
        )
    print(
        f"flytec: run {run_id} {'resumed' if resumed else 'started'} "
        f"({template.name}, {execution.describe()})",
        file=sys.stderr,
        flush=True,
    )

    replay = store.succeeded_outputs(run_id) if resumed else {}
    journal = JournalWriter(store)
    modname, _ = module_name_for(target.source)
    progress = Progress()
    controller = Controller(
        run_id=run_id,
        store=store,
        journal=journal,
        replay=replay,
        cache_mode=opts.cache_mode,
        code_version=target.code_version,
        code_versions=target.code_versions,
        max_concurrency=opts.max_concurrency,
        threads=opts.threads,
        processes=opts.processes,
        process_executor_factory=process_pool_factory(
            module.__name__ or modname, str(target.source.resolve())
        ),
        progress=progress,
    )
    outcome = run_controller(controller, root, kwargs, run_dir, opts)
    outcome.execution = execution
    store.finish_run(
        run_id,
        outcome.status,
        json.dumps(to_jsonable(outcome.result)) if outcome.status == "SUCCEEDED" else None,
        outcome.error,
    )
    return outcome


def run_controller(
    controller: Controller,
    template: Any,
    kwargs: dict[str, Any],
    run_dir: Path,
    opts: RunOptions,
) -> RunOutcome:
    """Drive the root action on a fresh event loop; journal, logs and progress around it."""
    started = time.time()
    status, result, error = "FAILED", None, None
    exception: BaseException | None = None
    capture = LogCapture(run_dir / "logs.txt") if opts.capture_logs else None
    display = ProgressDisplay(controller.progress, controller.run_id, enabled=opts.progress)
    try:
        if capture is not None:
            capture.__enter__()
        with display:
            try:
                result = asyncio.run(controller.run_root(template, kwargs))
                status = "SUCCEEDED"
            except (KeyboardInterrupt, asyncio.CancelledError):
                status, error = "ABORTED", "aborted by the user"
            except Exception as exc:  # the user's failure, reported on one line
                status, error, exception = "FAILED", errors_bridge.describe(exc), exc
                (run_dir / "error.txt").write_text("".join(traceback.format_exception(exc)))
    finally:
        if capture is not None:
            capture.__exit__(None, None, None)
        controller.shutdown(wait=status != "ABORTED")
        if controller.journal is not None:
            controller.journal.close()
    duration = time.time() - started
    summary = {
        "run_id": controller.run_id,
        "status": status,
        "error": error,
        "duration": duration,
        "result": to_jsonable(result),
    }
    (run_dir / "result.json").write_text(json.dumps(summary, indent=2))
    return RunOutcome(
        controller.run_id, status, result, error, duration, run_dir, controller.progress,
        exception=exception,
    )


def execute_template(
    template: Any,
    kwargs: dict[str, Any],
    *,
    store: str | None = None,
    run_id: str | None = None,
    cache_mode: str = "use",
    max_concurrency: int = 0,
) -> RunOutcome:
    """Run an already-loaded task (what the shim's ``flyte.run`` does): recorded like any run."""
    store_obj = Store(store_dir(store))
    try:
        run_id = run_id or new_run_id()
        run_dir = store_obj.run_dir(run_id)
        run_dir.mkdir(parents=True, exist_ok=True)
        spec = Controller.spec(template)
        source = spec.source_file or "<unknown>"
        try:
            _write_inputs(run_dir, kwargs)
        except Exception:
            pass
        store_obj.create_run(
            run_id,
            f"{source}::{spec.name.split('.')[-1]}",
            source,
            spec.name,
            inputs_json(kwargs),
            {"cache_mode": cache_mode},
        )
        controller = Controller(
            run_id=run_id,
            store=store_obj,
            journal=JournalWriter(store_obj),
            cache_mode=cache_mode,
            max_concurrency=max_concurrency,
            progress=Progress(),
        )
        opts = RunOptions(progress=False, capture_logs=False)
        outcome = run_controller(controller, template, kwargs, run_dir, opts)
        store_obj.finish_run(
            run_id,
            outcome.status,
            json.dumps(to_jsonable(outcome.result)) if outcome.status == "SUCCEEDED" else None,
            outcome.error,
        )
        return outcome
    finally:
        store_obj.close()


_INPUTS_PURPOSE = "run-inputs"


def _write_inputs(run_dir: Path, kwargs: dict[str, Any]) -> None:
    """A run's inputs, kept for ``--resume``: pickled and sealed with the user's cache key."""
    (run_dir / "inputs.pkl").write_bytes(seal(_INPUTS_PURPOSE, pickle.dumps(kwargs)))


def _read_inputs(run_dir: Path, run_id: str) -> dict[str, Any]:
    """The inputs of a run to resume; a file flytec did not write for this user is refused
    before anything in it is unpickled."""
    try:
        blob = (run_dir / "inputs.pkl").read_bytes()
    except OSError as exc:
        raise RuntimeUsageError(f"cannot resume {run_id}: inputs unreadable ({exc})") from None
    payload = unseal(_INPUTS_PURPOSE, blob)
    if payload is None:
        raise RuntimeUsageError(
            f"cannot resume {run_id}: its saved inputs were not written by flytec for this user"
            " (or were changed since); start a new run"
        )
    try:
        kwargs = pickle.loads(payload)
    except Exception as exc:
        raise RuntimeUsageError(f"cannot resume {run_id}: inputs unreadable ({exc})") from None
    if not isinstance(kwargs, dict):
        raise RuntimeUsageError(f"cannot resume {run_id}: inputs unreadable")
    return kwargs
