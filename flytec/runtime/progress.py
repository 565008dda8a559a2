"""Counting actions per task; live progress (rich on a terminal, plain lines otherwise)."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.table import Table


@dataclass(slots=True)
class TaskCounts:
    running: int = 0
    done: int = 0
    failed: int = 0
    cached: int = 0
    replayed: int = 0
    retries: int = 0


class Progress:
    """Counters updated by the scheduler; cheap enough to touch on every action."""

    def __init__(self) -> None:
        self.tasks: dict[str, TaskCounts] = {}

    def _get(self, task: str) -> TaskCounts:
        counts = self.tasks.get(task)
        if counts is None:
            counts = self.tasks[task] = TaskCounts()
        return counts

    def start(self, task: str) -> None:
        self._get(task).running += 1

    def succeeded(self, task: str) -> None:
        c = self._get(task)
        c.running -= 1
        c.done += 1

    def failed(self, task: str) -> None:
        c = self._get(task)
        c.running -= 1
        c.failed += 1

    def aborted(self, task: str) -> None:
        self._get(task).running -= 1

    def retry(self, task: str) -> None:
        self._get(task).retries += 1

    def cached(self, task: str) -> None:
        self._get(task).cached += 1

    def replayed(self, task: str) -> None:
        self._get(task).replayed += 1

    def totals(self) -> TaskCounts:
        t = TaskCounts()
        for c in list(self.tasks.values()):
            t.running += c.running
            t.done += c.done
            t.failed += c.failed
            t.cached += c.cached
            t.replayed += c.replayed
            t.retries += c.retries
        return t

    def summary(self) -> str:
        t = self.totals()
        parts = [f"{t.done} done", f"{t.running} running", f"{t.failed} failed"]
        if t.cached:
            parts.append(f"{t.cached} cached")
        if t.replayed:
            parts.append(f"{t.replayed} replayed")
        if t.retries:
            parts.append(f"{t.retries} retries")
        return ", ".join(parts)

    def table(self, title: str) -> Table:
        table = Table(title=title, title_justify="left", expand=False)
        for col in ("task", "done", "running", "failed", "cached", "replayed"):
            table.add_column(col, justify="left" if col == "task" else "right")
        for name, c in sorted(self.tasks.items()):
            table.add_row(
                name, str(c.done), str(c.running), str(c.failed), str(c.cached), str(c.replayed)
            )
        return table


class ProgressDisplay:
    """Shows :class:`Progress` while a run is going.

    On a terminal: a rich live table on stderr. Otherwise: one plain summary line every
    ``interval`` seconds (only for runs that last longer than that).
    """

    def __init__(
        self,
        progress: Progress,
        run_id: str,
        stream: TextIO | None = None,
        interval: float = 5.0,
        enabled: bool = True,
    ) -> None:
        self.progress = progress
        self.run_id = run_id
        self.stream = stream or sys.stderr
        self.interval = interval
        self.enabled = enabled
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: Live | None = None
        self._lock = threading.Lock()
        self.delay = 0.5

    def __enter__(self) -> ProgressDisplay:
        if not self.enabled:
            return self
        target = self._live_after_delay if self.stream.isatty() else self._plain
        self._thread = threading.Thread(target=target, daemon=True)
        self._thread.start()
        return self

    def _live_after_delay(self) -> None:
        # Short runs finish before anything is drawn; long runs get a live table.
        if self._stop.wait(self.delay):
            return
        with self._lock:
            if self._stop.is_set():
                return
            self._live = Live(
                get_renderable=lambda: self.progress.table(f"run {self.run_id}"),
                console=Console(file=self.stream),
                refresh_per_second=4,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()

    def _plain(self) -> None:
        last = ""
        while not self._stop.wait(self.interval):
            line = self.progress.summary()
            if line != last:
                print(f"flytec: run {self.run_id}: {line}", file=self.stream, flush=True)
                last = line

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._stop.set()
            if self._live is not None:
                self._live.stop()
        if self._thread is not None:
            self._thread.join(timeout=1)


def elapsed(started: float) -> str:
    return f"{time.time() - started:.2f}s"
