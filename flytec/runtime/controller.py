"""The scheduler: every task call inside a run becomes a child action executed here.

One asyncio event loop runs all async task bodies; sync task bodies run in a thread pool (or,
with ``processes``, sync leaf tasks run in worker processes). For every action the controller
derives a deterministic id (parent, task, inputs hash, call sequence, group), replays it from the
journal of an interrupted run if it finished there, answers it from the persistent cache when
the task is cached, and otherwise executes it with retries and a timeout, journaling the result.
"""

from __future__ import annotations

import asyncio
import hashlib
import pickle
import time
import types
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from flytec.cache_trust import seal, unseal
from flytec.runtime import errors_bridge
from flytec.runtime.context import CURRENT, GROUP, ActionContext
from flytec.runtime.copying import copy_kwargs, copy_value
from flytec.runtime.hashing import action_id, cache_key, code_hash, inputs_hash
from flytec.runtime.journal import JournalWriter
from flytec.runtime.progress import Progress
from flytec.runtime.spec import CacheConfig, TaskSpec, spec_from_template
from flytec.runtime.store import Store

_MISSING: Any = object()
_PURPOSE = "runtime-value"
ROOT_ID = "a0"


def _dumps(value: Any) -> bytes | None:
    """A task output for the cache or the journal, sealed with the user's cache key."""
    try:
        return seal(_PURPOSE, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:
        return None


def _call_in_context(ctx: ActionContext, func: Callable[..., Any], kw: dict[str, Any]) -> Any:
    token = CURRENT.set(ctx)
    try:
        return func(**kw)
    finally:
        CURRENT.reset(token)


class Controller:
    """Executes the actions of one run."""

    def __init__(
        self,
        *,
        run_id: str,
        store: Store | None = None,
        journal: JournalWriter | None = None,
        replay: dict[str, bytes | None] | None = None,
        cache_mode: str = "use",  # "use" | "overwrite" | "off"
        code_version: str | None = None,
        code_versions: dict[str, str] | None = None,
        max_concurrency: int = 0,
        threads: int = 64,
        processes: int = 0,
        process_executor_factory: Callable[[int], Executor] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.run_id = run_id
        self.store = store
        self.journal = journal
        self.replay = replay or {}
        self.cache_mode = cache_mode
        self.code_version = code_version
        # per task identity: the transitive code hash of its plan (a changed helper shows)
        self.code_versions = code_versions or {}
        self.max_concurrency = max_concurrency
        self.progress = progress or Progress()
        self.threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="flytec-task")
        self.processes = processes
        self._process_factory = process_executor_factory
        self._procs: Executor | None = None
        self._sem: asyncio.Semaphore | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._trace_ids: dict[Any, str] = {}
        self._written: dict[str, bytes] = {}  # cache entries written by this run

    # -- specs ------------------------------------------------------------------------------
    @staticmethod
    def spec(template: Any) -> TaskSpec:
        spec: TaskSpec | None = template.__dict__.get("_flytec_spec")
        if spec is None:
            spec = spec_from_template(template)
            template.__dict__["_flytec_spec"] = spec
        return spec

    def shutdown(self, wait: bool = True) -> None:
        self.threads.shutdown(wait=wait, cancel_futures=not wait)
        if self._procs is not None:
            self._procs.shutdown(wait=wait, cancel_futures=not wait)

    # -- entry points -----------------------------------------------------------------------
    async def run_root(self, template: Any, kwargs: dict[str, Any]) -> Any:
        """Run the root task of a run as action ``a0``."""
        self.loop = asyncio.get_running_loop()
        if self.max_concurrency > 0:
            self._sem = asyncio.Semaphore(self.max_concurrency)
        spec = self.spec(template)
        kw = copy_kwargs(spec.bind((), kwargs))
        return await self._drive(spec, kw, None, aid=ROOT_ID)

    async def submit(
        self,
        template: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        parent: ActionContext | None = None,
    ) -> Any:
        """A task call from async code (``await t(...)`` or ``await t.aio(...)``)."""
        if parent is None:
            parent = CURRENT.get()
        spec = self.spec(template)
        try:
            kw = copy_kwargs(spec.bind(args, kwargs))
        except TypeError as exc:  # a bad call, as the SDK reports it: a user error
            raise errors_bridge.as_flyte_error(exc, spec.name, None) from exc
        return await self._drive(spec, kw, parent)

    def submit_blocking(self, template: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """A task call from a sync task body (in a worker thread): blocks until it finishes."""
        assert self.loop is not None
        coro = self.submit(template, args, kwargs, CURRENT.get())
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def run_coroutine_blocking(self, coro: Any) -> Any:
        """Run a coroutine on the run's loop from a worker thread and wait for it."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    # -- the life of one action -------------------------------------------------------------
    async def _drive(
        self,
        spec: TaskSpec,
        kw: dict[str, Any],
        parent: ActionContext | None,
        aid: str | None = None,
    ) -> Any:
        group = GROUP.get()
        in_hash = inputs_hash(kw)
        parent_id = parent.action_id if parent is not None else None
        if aid is None:
            seq = parent.next_seq(spec.name, in_hash, group) if parent is not None else 0
            aid = action_id(parent_id or "", spec.name, in_hash, seq, group)
        if parent is not None and parent.slot:
            self._release(parent)

        if self.replay:
            blob = self.replay.pop(aid, None)
            if blob is not None:
                value = _loads(blob)
                if value is not _MISSING:
                    self.progress.replayed(spec.name)
                    return value

        key = version = None
        if spec.cache is not None and self.cache_mode != "off" and self.store is not None:
            version = self._cache_version(spec, spec.cache)
            ih = (
                inputs_hash(kw, spec.cache.ignored_inputs) if spec.cache.ignored_inputs else in_hash
            )
            key = cache_key(spec.name, version, ih, spec.cache.salt)
            # as the SDK's local mode: only "auto" entries are read ("override" ones are
            # written, never read); entries written earlier in this run are hits too
            if self.cache_mode == "use" and spec.cache.behavior == "auto":
                blob = self._written.get(key)
                if blob is None:
                    blob = self.store.cache_get(key)
                value = _loads(blob) if blob is not None else _MISSING
                if value is not _MISSING:
                    now = time.time()
                    self.progress.cached(spec.name)
                    self._record(
                        aid,
                        parent_id,
                        spec.name,
                        "task",
                        group,
                        "SUCCEEDED",
                        0,
                        now,
                        now,
                        None,
                        "cache",
                        blob,
                    )
                    return value

        started = time.time()
        progress = self.progress
        progress.start(spec.name)
        attempt = 0
        while True:
            attempt += 1
            try:
                result = await self._attempt(spec, kw, aid)
                if spec.check_output is not None:
                    spec.check_output(result)
                break
            except asyncio.CancelledError:
                progress.aborted(spec.name)
                self._record(
                    aid,
                    parent_id,
                    spec.name,
                    "task",
                    group,
                    "ABORTED",
                    attempt,
                    started,
                    time.time(),
                    "aborted",
                    "run",
                    None,
                )
                raise
            except Exception as exc:
                if parent is None and getattr(exc, "_flytec_output_check", False):
                    err: BaseException = exc  # the run's own outputs: raised as they are
                else:
                    err = errors_bridge.as_flyte_error(exc, spec.name, spec.timeout)
                if attempt <= spec.retry.count and not errors_bridge.is_non_recoverable(exc):
                    progress.retry(spec.name)
                    delay = spec.retry.delay(attempt)
                    if delay > 0:
                        await asyncio.sleep(delay)
                    continue
                progress.failed(spec.name)
                self._record(
                    aid,
                    parent_id,
                    spec.name,
                    "task",
                    group,
                    "FAILED",
                    attempt,
                    started,
                    time.time(),
                    errors_bridge.describe(err),
                    "run",
                    None,
                )
                if err is exc:
                    raise
                raise err from exc
        blob = _dumps(result)
        self._record(
            aid,
            parent_id,
            spec.name,
            "task",
            group,
            "SUCCEEDED",
            attempt,
            started,
            time.time(),
            None,
            "run",
            blob,
        )
        if key is not None and blob is not None:
            assert version is not None
            self._written[key] = blob
            if self.journal is not None:
                self.journal.put_cache(key, spec.name, version, in_hash, blob)
            elif self.store is not None:
                self.store.cache_put(key, spec.name, version, in_hash, blob)
        progress.succeeded(spec.name)
        return copy_value(result)

    async def _attempt(self, spec: TaskSpec, kw: dict[str, Any], aid: str) -> Any:
        ctx = ActionContext(self, aid, spec.name)
        sem = self._sem
        if sem is not None:
            await sem.acquire()
            ctx.slot = True
        try:
            if spec.is_async:
                # The body runs in the caller's asyncio task: give it its own action context
                # and no group (a parent's group labels the parent's calls only).
                token = CURRENT.set(ctx)
                group_token = GROUP.set(None)
                try:
                    coro = spec.func(**kw)
                    if spec.timeout is None:
                        return await coro
                    return await asyncio.wait_for(coro, spec.timeout)
                finally:
                    GROUP.reset(group_token)
                    CURRENT.reset(token)
            loop = asyncio.get_running_loop()
            if self.processes > 0 and not spec.references_tasks:
                from flytec.runtime.workers import call_task

                fut = loop.run_in_executor(self._process_pool(), call_task, spec.name, kw)
            else:
                fut = loop.run_in_executor(self.threads, _call_in_context, ctx, spec.func, kw)
            if spec.timeout is None:
                return await fut
            return await asyncio.wait_for(fut, spec.timeout)
        finally:
            if ctx.slot:
                self._release(ctx)

    def _release(self, ctx: ActionContext) -> None:
        ctx.slot = False
        if self._sem is not None:
            self._sem.release()

    def _process_pool(self) -> Executor:
        if self._procs is None:
            if self._process_factory is None:
                raise RuntimeError("worker processes were requested but no module is loaded")
            self._procs = self._process_factory(self.processes)
        return self._procs

    def _record(
        self,
        aid: str,
        parent_id: str | None,
        task: str,
        kind: str,
        group: str | None,
        status: str,
        attempts: int,
        started: float,
        ended: float,
        error: str | None,
        origin: str,
        output: bytes | None,
    ) -> None:
        if self.journal is not None:
            self.journal.put(
                (
                    self.run_id,
                    aid,
                    parent_id,
                    task,
                    kind,
                    group,
                    status,
                    attempts,
                    started,
                    ended,
                    error,
                    origin,
                    output,
                )
            )

    def _cache_version(self, spec: TaskSpec, cfg: CacheConfig) -> str:
        if cfg.behavior == "override" and cfg.version_override:
            return cfg.version_override
        if cfg.version_override:
            return cfg.version_override
        if cfg.policies:
            params = types.SimpleNamespace(func=spec.func, image=None, code_bundle=None)
            parts = [str(p.get_version(cfg.salt, params)) for p in cfg.policies]
            return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
        return self.code_version or self.code_versions.get(spec.name) or spec.code_hash

    # -- traces -----------------------------------------------------------------------------
    def _trace_prologue(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        parent: ActionContext,
    ) -> tuple[str, str, str | None]:
        identity = self._trace_ids.get(func)
        if identity is None:
            identity = f"trace:{func.__module__}.{func.__qualname__}:{code_hash(func)[:12]}"
            self._trace_ids[func] = identity
        kw = {f"${i}": a for i, a in enumerate(args)}
        kw.update(kwargs)
        in_hash = inputs_hash(kw)
        group = GROUP.get()
        seq = parent.next_seq(identity, in_hash, group)
        return identity, action_id(parent.action_id, identity, in_hash, seq, group), group

    def _trace_replay(self, aid: str, identity: str) -> Any:
        if not self.replay:
            return _MISSING
        blob = self.replay.pop(aid, None)
        if blob is None:
            return _MISSING
        value = _loads(blob)
        if value is not _MISSING:
            self.progress.replayed(identity.split(":")[1])
        return value

    async def trace_async(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        parent: ActionContext,
    ) -> Any:
        identity, aid, group = self._trace_prologue(func, args, kwargs, parent)
        value = self._trace_replay(aid, identity)
        if value is not _MISSING:
            return value
        token = CURRENT.set(ActionContext(self, aid, identity, in_trace=True))
        started = time.time()
        try:
            result = await func(*args, **kwargs)
        except Exception as exc:
            self._trace_done(aid, parent, identity, group, started, errors_bridge.describe(exc))
            raise
        finally:
            CURRENT.reset(token)
        self._trace_done(aid, parent, identity, group, started, None, result)
        return result

    def _trace_done(
        self,
        aid: str,
        parent: ActionContext,
        identity: str,
        group: Any,
        started: float,
        error: Any,
        result: Any = None,
    ) -> None:
        """Journal a finished trace call (its result, or its error)."""
        status = "FAILED" if error is not None else "SUCCEEDED"
        output = None if error is not None else _dumps(result)
        self._record(
            aid, parent.action_id, identity, "trace", group, status, 1, started, time.time(),
            error, "run", output,
        )

    def trace_sync(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        parent: ActionContext,
    ) -> Any:
        identity, aid, group = self._trace_prologue(func, args, kwargs, parent)
        value = self._trace_replay(aid, identity)
        if value is not _MISSING:
            return value
        token = CURRENT.set(ActionContext(self, aid, identity, in_trace=True))
        started = time.time()
        try:
            result = func(*args, **kwargs)
        except Exception as exc:
            self._trace_done(aid, parent, identity, group, started, errors_bridge.describe(exc))
            raise
        finally:
            CURRENT.reset(token)
        self._trace_done(aid, parent, identity, group, started, None, result)
        return result


def _loads(blob: bytes) -> Any:
    """A stored output, or a miss when it was not written by flytec for this user: a store
    copied from elsewhere never unpickles (so never runs) what it holds."""
    payload = unseal(_PURPOSE, blob)
    if payload is None:
        return _MISSING
    try:
        return pickle.loads(payload)
    except Exception:
        return _MISSING
