"""Errors of the runtime itself (not of user code)."""

from __future__ import annotations


class RuntimeUsageError(Exception):
    """Bad input from the user: unknown file or task, missing or ill-typed input, bad plan.

    The CLI prints the message on one line and exits with code 2.
    """


class RunFailed(Exception):
    """The run's root task raised; ``error`` is the user-facing one-line description."""

    def __init__(self, run_id: str, error: str) -> None:
        super().__init__(error)
        self.run_id = run_id
        self.error = error


class RunAborted(Exception):
    """The run was cancelled (Ctrl-C); it is recorded as aborted."""

    def __init__(self, run_id: str) -> None:
        super().__init__(f"run {run_id} aborted")
        self.run_id = run_id
