"""Per-action context, carried by ``contextvars`` through coroutines and worker threads."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flytec.runtime.controller import Controller


@dataclass(slots=True, eq=False)
class ActionContext:
    """The action whose Python body is running: the parent of every task it calls."""

    controller: Controller
    action_id: str
    task: str
    in_trace: bool = False
    # Holds one slot of the run's concurrency limit (released when it calls a task).
    slot: bool = False
    # Call sequence numbers per (task identity, inputs hash, group), as Flyte's TaskCallSequencer.
    seq: dict[tuple[str, str, str | None], int] = field(default_factory=dict)

    def next_seq(self, identity: str, in_hash: str, group: str | None) -> int:
        key = (identity, in_hash, group)
        n = self.seq.get(key, 0)
        self.seq[key] = n + 1
        return n


CURRENT: ContextVar[ActionContext | None] = ContextVar("flytec_action", default=None)
GROUP: ContextVar[str | None] = ContextVar("flytec_group", default=None)
#: ``flyte.custom_context(...)``: what the actions started here see (and their sub-actions)
CUSTOM: ContextVar[dict[str, str] | None] = ContextVar("flytec_custom", default=None)


def current() -> ActionContext | None:
    """The running action, or None outside a run (task calls then run the function directly)."""
    return CURRENT.get()
