"""What the scheduler needs to know about a task, read once from the shim's task template.

The shim (``flyte.TaskEnvironment.task``) builds templates that mirror the SDK; the runtime reads
them by duck typing into a :class:`TaskSpec`, so the runtime never imports the shim.
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flytec.runtime.hashing import code_hash
from flytec.runtime.validation import output_check

_MISSING = object()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempts = ``count + 1``; the wait before retry ``n`` is ``base * factor**(n-1)``."""

    count: int = 0
    base: float = 0.0
    factor: float = 1.0
    cap: float | None = None

    def delay(self, attempt: int) -> float:
        wait = self.base * (self.factor ** max(attempt - 1, 0))
        return min(wait, self.cap) if self.cap is not None else wait


@dataclass(frozen=True, slots=True)
class CacheConfig:
    behavior: str  # "auto" | "override"
    version_override: str | None
    ignored_inputs: tuple[str, ...]
    salt: str
    policies: tuple[Any, ...]


@dataclass(slots=True)
class TaskSpec:
    """A task as the scheduler sees it."""

    name: str  # identity: "env.function"
    func: Callable[..., Any]
    is_async: bool
    params: tuple[str, ...]
    defaults: dict[str, Any]
    retry: RetryPolicy
    timeout: float | None
    cache: CacheConfig | None
    module: str
    source_file: str | None
    references_tasks: bool
    _code_hash: str | None = field(default=None)
    # checks a result against the return annotation (raises RuntimeDataValidationError)
    check_output: Callable[[Any], None] | None = None

    @property
    def code_hash(self) -> str:
        if self._code_hash is None:
            self._code_hash = code_hash(self.func)
        return self._code_hash

    def bind(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Map a call's arguments to parameter names, filling defaults (TypeError as Python)."""
        params = self.params
        if len(args) > len(params):
            raise TypeError(
                f"{self.name}() takes {len(params)} arguments but {len(args)} were given"
            )
        bound = dict(zip(params, args, strict=False))
        for key, value in kwargs.items():
            if key in bound:
                raise TypeError(f"{self.name}() got multiple values for argument '{key}'")
            if key not in self.defaults and key not in params:
                raise TypeError(f"{self.name}() got an unexpected keyword argument '{key}'")
            bound[key] = value
        if len(bound) < len(params):
            for p in params:
                if p not in bound:
                    default = self.defaults.get(p, _MISSING)
                    if default is _MISSING:
                        raise TypeError(f"{self.name}() missing required argument: '{p}'")
                    bound[p] = default
        return bound


def seconds(value: Any) -> float | None:
    """int/float seconds or timedelta -> seconds; 0/None -> None (unlimited)."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds()
    if isinstance(value, (int, float)):
        return float(value) if value > 0 else None
    return None


def _retry_policy(retries: Any) -> RetryPolicy:
    if isinstance(retries, int):
        return RetryPolicy(count=max(retries, 0))
    count = int(getattr(retries, "count", 0) or 0)
    backoff = getattr(retries, "backoff", None)
    if backoff is None:
        return RetryPolicy(count=count)
    base = seconds(getattr(backoff, "base", 0)) or 0.0
    factor = float(getattr(backoff, "factor", 1.0) or 1.0)
    cap = seconds(getattr(backoff, "cap", None))
    return RetryPolicy(count=count, base=base, factor=factor, cap=cap)


def _timeout(timeout: Any) -> float | None:
    if timeout is None or isinstance(timeout, (int, float, datetime.timedelta)):
        return seconds(timeout)
    limits = [
        seconds(getattr(timeout, "max_runtime", None)),
        seconds(getattr(timeout, "deadline", None)),
    ]
    present = [x for x in limits if x is not None]
    return min(present) if present else None


def _cache(cache: Any) -> CacheConfig | None:
    if cache is None:
        return None
    behavior = getattr(cache, "behavior", cache)
    if behavior not in ("auto", "override"):
        return None
    ignored = getattr(cache, "ignored_inputs", ()) or ()
    if isinstance(ignored, str):
        ignored = (ignored,)
    policies = getattr(cache, "policies", None) or ()
    if not isinstance(policies, (list, tuple)):
        policies = (policies,)
    return CacheConfig(
        behavior=str(behavior),
        version_override=getattr(cache, "version_override", None),
        ignored_inputs=tuple(ignored),
        salt=str(getattr(cache, "salt", "") or ""),
        policies=tuple(policies),
    )


def spec_from_template(template: Any) -> TaskSpec:
    """Read a shim task template (duck-typed) into a TaskSpec."""
    func = template.func
    sig = inspect.signature(func)
    params = tuple(
        p.name
        for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    )
    defaults = {p.name: p.default for p in sig.parameters.values() if p.default is not p.empty}
    code = getattr(func, "__code__", None)
    names = frozenset(code.co_names) if code is not None else frozenset()
    module_globals: dict[str, Any] = getattr(func, "__globals__", {})
    calls_tasks = "map" in names or any(
        getattr(module_globals.get(n), "_flytec_is_task", False) for n in names
    )
    return TaskSpec(
        name=template.name,
        func=func,
        is_async=inspect.iscoroutinefunction(func),
        params=params,
        defaults=defaults,
        retry=_retry_policy(getattr(template, "retries", 0)),
        timeout=_timeout(getattr(template, "timeout", None)),
        cache=_cache(getattr(template, "cache", None)),
        module=getattr(func, "__module__", "") or "",
        source_file=getattr(code, "co_filename", None),
        references_tasks=calls_tasks,
        check_output=output_check(func, template.name),
    )
