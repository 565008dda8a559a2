"""Progress of a long ``flytec check`` on standard error: shown only on a terminal, only once
the run has taken about a second (a pre-commit run never shows it), never with ``--quiet``,
and erased when the run ends, so the report itself is unchanged. Drawn by rich."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

DELAY = 1.0  # seconds before anything is drawn (FLYTEC_PROGRESS_DELAY overrides it: tests)


def _delay() -> float:
    try:
        return float(os.environ.get("FLYTEC_PROGRESS_DELAY", DELAY))
    except ValueError:
        return DELAY


class TerminalProgress:
    """A :class:`flytec.model.progress.Progress` drawn on standard error after ``DELAY``."""

    def __init__(self, delay: float | None = None) -> None:
        self._lock = threading.Lock()
        self._state: tuple[str, int, int | None] = ("reading files", 0, None)
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._closed = False
        self.delay = _delay() if delay is None else delay
        self._timer = threading.Timer(self.delay, self._show)
        self._timer.daemon = True
        self.started = time.monotonic()

    def __enter__(self) -> TerminalProgress:
        if self.delay <= 0:
            self._show()
        else:
            self._timer.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def step(self, what: str, done: int, total: int | None) -> None:
        with self._lock:
            self._state = (what, done, total)
            if self._bar is not None and self._task is not None:
                self._update()

    def _update(self) -> None:
        assert self._bar is not None and self._task is not None
        what, done, total = self._state
        unit = "files" if what == "parsing" else ""
        self._bar.update(self._task, description=f"flytec: {what}", completed=done,
                         total=total, unit=unit)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with self._lock:
            if self._closed:
                return
            self._bar = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                MofNCompleteColumn(), TextColumn("{task.fields[unit]}"), TimeElapsedColumn(),
                console=Console(file=sys.stderr, force_terminal=True,
                                no_color=bool(os.environ.get("NO_COLOR"))),
                transient=True,
            )
            self._task = self._bar.add_task("flytec", total=None, unit="")
            self._update()
            self._bar.start()

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._bar is not None:
                self._bar.stop()
                self._bar = None


def wanted(quiet: bool) -> bool:
    """Progress only for a person watching: standard error is a terminal, and not ``-q``."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_for(quiet: bool) -> Iterator[TerminalProgress | None]:
    if not wanted(quiet):
        yield None
        return
    with TerminalProgress() as p:
        yield p
