"""How long-running stages report progress (files parsed out of the total), without knowing
who shows it: the CLI passes a terminal display, the library and tests pass nothing."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def step(self, what: str, done: int, total: int | None) -> None:
        """The stage (``"parsing"``, ``"checking"``), how much of it is done, and the total
        when known (it may grow: imported modules join the parse as they are found)."""
