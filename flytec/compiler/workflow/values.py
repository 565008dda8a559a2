"""Symbolic values of local variables while a task body is interpreted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from flytec.model.workflow import Binding


@dataclass(frozen=True, slots=True)
class Val:
    """A plain value with a known source (input, constant, node output, item)."""

    binding: Binding


@dataclass(frozen=True, slots=True)
class TupleV:
    """A tuple or list of values known element by element (multi-output results, gathers)."""

    items: tuple[Value, ...]
    kind: str = "tuple"


@dataclass(frozen=True, slots=True)
class Pending:
    """A coroutine of a call that has not been awaited yet: awaiting it gives ``result``."""

    node: str
    result: Value


@dataclass(frozen=True, slots=True)
class Future:
    """A scheduled call (``create_task``): awaiting it or ``.result()`` gives ``result``."""

    node: str
    result: Value


@dataclass(frozen=True, slots=True)
class CoroList:
    """A list of coroutines built by a fan-out; gathering it gives the fan-out's output.

    ``scheduled``: its items are tasks already running (``create_task``), so gathering them
    only waits for them; ``count``: a binding with as many items as the list (the fan-out's
    iterable, when every iteration appends exactly one), so ``len()`` needs no results.
    """

    node: str
    result: Value
    scheduled: bool = False
    count: Binding | None = None


@dataclass(frozen=True, slots=True)
class Awaitable:
    """Something awaitable whose result is known (``asyncio.gather(...)``); ``joined`` are
    the ``nodes`` already running (awaiting them waits for them, it does not start them)."""

    result: Value
    nodes: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MapGen:
    """The generator returned by ``flyte.map``; its items are the map's results."""

    node: str
    is_async: bool


@dataclass(frozen=True, slots=True)
class Callee:
    """A callable that flytec understands: a task, trace, remote reference or helper."""

    kind: str  # "task" | "trace" | "remote" | "helper"
    key: str | None  # project function key
    fqn: str | None
    via: tuple[str, ...] = ()
    override: tuple[tuple[str, Any], ...] = ()
    override_inputs: tuple[tuple[str, Binding], ...] = ()
    remote_name: str | None = None
    is_async: bool = True


@dataclass(frozen=True, slots=True)
class CallableV:
    callee: Callee


@dataclass(frozen=True, slots=True)
class Opaque:
    """A value flytec does not track (a lambda, a TaskGroup, a value after a loop...)."""

    what: str
    reason: str | None = None  # when set, using the value makes the task dynamic
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


Value = Union[Val, TupleV, Pending, Future, CoroList, Awaitable, MapGen, CallableV, Opaque]
