"""``flyte.ctx()``, ``flyte.group`` and custom context."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from flytec.runtime.context import CURRENT, CUSTOM, GROUP


@dataclass
class ActionID:
    name: str
    run_name: str = ""
    project: str = "local"
    domain: str = "development"
    org: str = "local"


@dataclass
class GroupData:
    name: str


@dataclass
class TaskContext:
    action: ActionID
    version: str = "local"
    mode: str = "local"
    raw_data_path: Any = None
    run_base_dir: str = field(default_factory=tempfile.gettempdir)
    custom_context: dict[str, str] = field(default_factory=dict)
    group_data: GroupData | None = None
    interactive_mode: bool = False
    disable_run_cache: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    report: Any = None

    def is_in_cluster(self) -> bool:
        return False


def ctx() -> TaskContext | None:
    """The running task's context, or None outside a run."""
    current = CURRENT.get()
    if current is None:
        return None
    group = GROUP.get()
    return TaskContext(
        action=ActionID(name=current.action_id, run_name=current.controller.run_id),
        custom_context=dict(CUSTOM.get() or {}),
        group_data=GroupData(group) if group else None,
    )


@contextlib.contextmanager
def group(name: str) -> Iterator[None]:
    """Label the actions launched inside (folded into their ids, as in the SDK)."""
    if CURRENT.get() is None:
        yield
        return
    token = GROUP.set(name)
    try:
        yield
    finally:
        GROUP.reset(token)


@contextlib.contextmanager
def custom_context(**kwargs: str) -> Iterator[None]:
    """Actions started inside (and their own sub-actions) see ``kwargs`` in their context,
    over what they would see otherwise; a context variable, so concurrent calls outside the
    block do not."""
    token = CUSTOM.set({**(CUSTOM.get() or {}), **kwargs})
    try:
        yield
    finally:
        CUSTOM.reset(token)


def get_custom_context() -> dict[str, str]:
    return dict(CUSTOM.get() or {})
