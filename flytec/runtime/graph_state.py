"""The state of a static run: one :class:`NodeState` per node per scope.

A scope is the top level of the workflow, or one item of a fan-out (its members run once per
item, each time in a fresh scope whose parent is the enclosing one). Waiting is cheap: a future
is made only when someone waits for a node that has not finished.
"""

from __future__ import annotations

import asyncio
from typing import Any

PENDING, DONE, SKIPPED, FAILED = "pending", "done", "skipped", "failed"


def index(value: Any, path: list[int | str]) -> Any:
    """``value`` at a binding's ``index`` path (``"*"``: every element)."""
    for i, step in enumerate(path):
        if step == "*":
            return [index(v, path[i + 1:]) for v in value]
        value = value[step]
    return value


class NodeState:
    """``done`` (with its outputs), ``skipped`` (an arm not taken, a cancelled or unreachable
    node) or ``failed``; containers also *decide* (the arm they took) before they finish."""

    __slots__ = ("status", "values", "error", "arm", "decided", "_done", "_decision")

    def __init__(self) -> None:
        self.status = PENDING
        self.values: dict[str, Any] = {}
        self.error: BaseException | None = None
        self.arm: str | None = None  # the arm taken (branch / try)
        self.decided = False
        self._done: asyncio.Future[None] | None = None
        self._decision: asyncio.Future[None] | None = None

    # -- outcomes -------------------------------------------------------------------------
    def finish(self, values: dict[str, Any]) -> None:
        if self.status == PENDING:
            self.status, self.values = DONE, values
            self._settle()

    def skip(self) -> None:
        if self.status == PENDING:
            self.status = SKIPPED
            self._settle()

    def fail(self, error: BaseException) -> None:
        if self.status == PENDING:
            self.status, self.error = FAILED, error
            self._settle()

    def decide(self, arm: str | None, error: BaseException | None = None) -> None:
        if not self.decided:
            self.decided, self.arm = True, arm
            if error is not None:
                self.error = error
            if self._decision is not None and not self._decision.done():
                self._decision.set_result(None)

    def _settle(self) -> None:
        self.decide(None)
        if self._done is not None and not self._done.done():
            self._done.set_result(None)

    # -- waiting --------------------------------------------------------------------------
    async def wait(self) -> str:
        if self.status == PENDING:
            if self._done is None:
                self._done = asyncio.get_running_loop().create_future()
            await self._done
        return self.status

    async def wait_decided(self) -> str | None:
        """The arm the container took; None when it was skipped or failed before deciding."""
        if not self.decided:
            if self._decision is None:
                self._decision = asyncio.get_running_loop().create_future()
            await self._decision
        return self.arm


class Scope:
    """The states of the nodes one scope owns, plus the current item of its fan-out."""

    __slots__ = ("parent", "fanout", "item", "states")

    def __init__(
        self, parent: Scope | None, fanout: str | None, item: Any, owned: list[str]
    ) -> None:
        self.parent = parent
        self.fanout = fanout
        self.item = item
        self.states = {nid: NodeState() for nid in owned}

    def state(self, nid: str) -> NodeState:
        scope: Scope | None = self
        while scope is not None:
            st = scope.states.get(nid)
            if st is not None:
                return st
            scope = scope.parent
        raise KeyError(nid)

    def item_of(self, fanout: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if scope.fanout == fanout:
                return scope.item
            scope = scope.parent
        raise KeyError(fanout)
